"""A hostile-input corpus, generated at test time: `build(raw)` writes bad inputs mixed with good
articles into `raw` and returns what must become of each one.

Nothing here is committed data: every file is written by code, so the corpus documents itself
(empty files, binaries under page names, broken encodings, oversize files, pathological markup,
broken JSON lines, odd file names, symlinks out of raw/, loops, a FIFO, an unreadable file ...).

The key of the returned dict is the input's name as the dataset reports it: the path relative
to raw/ (posix), and for a JSON-lines record "NAME#LINE" with the 1-based line number.
An `Expect` lists the allowed outcomes: "published", "duplicate", or a reject reason value
(cleaner.record.RejectReason), plus snippets the published body must contain or lack.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "raw"

PUBLISHED = "published"
DUPLICATE = "duplicate"

# Marker of the file a symlink leads to outside raw/: it must never reach clean/.
OUTSIDE_MARKER = "OUTSIDE-SECRET-MARKER-5b1e0c7a"
OUTSIDE_FILE = "outside-secret.txt"  # written to raw.parent
# A spreadsheet formula used as a headline (formula.txt's first line, formula-title.html's <title>).
FORMULA = '=HYPERLINK("http://evil.example/","Click")'
# Hidden files: no inputs at all, but listed in the manifest as skipped.
IGNORED = (".hidden.txt",)
# The exact copy of seed 000: with it, exactly one of the pair is a duplicate.
SEED_COPY = "copy-of-seed-000.txt"
# Pairs of inputs with the same bytes: exactly one of each pair is published, the other is
# its duplicate (which one is the canonical is dedup's tie-break, not this corpus's business).
DUPLICATE_PAIRS = (("000_40483f80e491ad8b.txt", SEED_COPY), ("section/inside.txt", "inside-link.txt"))


@dataclass(frozen=True)
class Expect:
    outcomes: frozenset[str]
    body_contains: tuple[str, ...] = ()
    body_lacks: tuple[str, ...] = ()
    # Expected language code of the published record (checked only when set).
    language: str = ""
    # Expected url, site and fetched_at of the published record (checked only when not None).
    url: str | None = None
    site: str | None = None
    fetched_at: str | None = None
    # A known bug in src/: the case's test is a strict xfail with this reason (it must fail
    # until the bug is fixed, then the mark goes).
    xfail: str = ""


def _one(outcome: str, **kw) -> Expect:
    return Expect(frozenset({outcome}), **kw)


def _any(*outcomes: str, **kw) -> Expect:
    return Expect(frozenset(outcomes), **kw)


# --- story prose ----------------------------------------------------------------------------
# Sentences of plain local news with slots. Each story draws its own town, people, firm and
# numbers and a random subset of sentences, so two generated stories are never near-duplicates
# (their word 5-shingles overlap far below the 0.7 threshold) and never exact ones.
# Words that boilerplate rules key on (members, subscribe, comments, share, cookies, support,
# contribute, related, newsletter ...) are avoided on purpose.

_TOWNS = [
    "Ashford Vale", "Brackley Moor", "Caldwick", "Dunmere", "Eastholt", "Fenbridge", "Glenross",
    "Harrowgate End", "Ilmsworth", "Jarrow Point", "Kettlesby", "Lyndhurst Cross", "Marrowfield",
    "Northcote", "Oakhanger", "Pellingham", "Quarry Bank", "Redmarsh", "Saltley Ford", "Thornbury Hythe",
    "Upperwick", "Valley Green", "Westerleigh", "Yarrowdale", "Zennor Combe", "Brightwell", "Coldharbour",
    "Deepdale", "Elmstead", "Fairlop", "Greystoke", "Hollins Cross", "Ivybridge Mill", "Kingsmoor",
]
_PEOPLE = [
    "Margaret Ellery", "Tomasz Wrobel", "Aisha Karim", "Declan Moss", "Priya Nandakumar", "Henrik Olsen",
    "Beatrice Fairweather", "Samuel Okafor", "Lucia Ferreira", "Gareth Pryce", "Yusuf Demir", "Helen Strachan",
    "Ivan Petrenko", "Rosalind Achebe", "Colm Brennan", "Mei Lin Zhou", "Patrick Dunleavy", "Ingrid Halvorsen",
    "Oluwaseun Adeyemi", "Fiona MacAskill", "Rafael Quintero", "Hannah Whitlock", "Dmitri Sokolov", "Nadia Rahman",
]
_FIRMS = [
    "Hartwell Engineering", "Northgate Civil Works", "Bramley and Stone", "Kestrel Infrastructure",
    "Tidewater Construction", "Greenlane Surveyors", "Ashcombe Utilities", "Millrace Partners",
    "Corbel Structures", "Fernhill Contracting", "Lodestar Building", "Riverside Consulting Group",
]
_THINGS = [
    "footbridge over the river", "public library", "tram extension", "flood barrier", "primary school",
    "covered market hall", "harbour wall", "water treatment plant", "cycle route", "sports centre",
    "bus interchange", "community clinic", "riverside park", "fire station", "swimming pool",
]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

_SENTENCES = [
    "Councillors in {town} voted {n} to {m} on {day} evening to approve the new {thing} after a debate that lasted almost four hours.",
    "The scheme is expected to cost about {money} million pounds and should be finished within {years} years if the weather allows.",
    "{person}, who chairs the planning committee, said the decision followed months of consultation with residents and local businesses.",
    "Residents who packed into the old town hall raised questions about noise, traffic and the disruption that building work would bring to {street}.",
    "Engineers from {firm} told the meeting that work on the site could begin as early as {month}, once the final drawings are signed off.",
    "Opponents argued that the money would be better spent on repairing roads and keeping the ageing bus routes of {town} running.",
    "A spokesperson for {firm} said the company had finished similar projects in {town2} and {town3} on time and within budget.",
    "The plans were first drawn up {years} years ago but stalled when the previous administration ran into financial difficulties.",
    "Shopkeepers on {street} said they hoped the project would bring more visitors into the town centre during the week.",
    "{person2}, a retired teacher who has lived in {town} for {decades} decades, said she had waited a long time to see the work begin.",
    "According to the council, around {thousands} thousand people are expected to use the {thing} every month once it opens.",
    "The regional transport authority has promised to review bus timetables so that services match the new opening hours.",
    "An independent report published in {month} found that the existing facilities were no longer fit for purpose.",
    "Environmental groups welcomed the decision but asked the council to plant at least {trees} trees along the edge of the site.",
    "The leader of the opposition group, {person3}, said the final cost could rise sharply if inflation stayed high next year.",
    "Officials said a temporary diversion would be signposted on {street} while the heaviest machinery is on site.",
    "Local schools will be invited to visit the works, and pupils have been asked to suggest a name for the finished {thing}.",
    "The council expects to recover part of the cost through a regional grant that was confirmed at the end of {month}.",
    "Police said they would monitor parking around {street} during the first weeks, when deliveries are likely to be heaviest.",
    "Several speakers at the meeting praised the design, which uses local stone and timber from a forest near {town2}.",
    "A petition against the project had gathered {signatures} signatures, but councillors said most objections had been addressed.",
    "The chief executive of the council told reporters that the vote was one of the most important decisions of the decade for {town}.",
    "Under the agreement, {firm} will also maintain the {thing} for the first {years} years after it is handed over.",
    "Traders at the weekly market said they were worried about losing customers while the main square was closed.",
    "The council will publish monthly progress reports, and a public meeting is planned for {month} to answer further questions.",
    "Farmers from the surrounding villages asked for assurances that lorries would not use the narrow lanes near {town3}.",
    "Historic records show that a similar project was proposed in the 1960s but was abandoned after a dispute over land.",
    "The local member of parliament said she would press ministers for extra funding if the costs went beyond the estimate.",
    "At the end of the meeting, {person} thanked residents for their patience and promised that the work would be done carefully.",
    "Volunteers from the {town} heritage society have offered to record the old buildings on the site before any demolition begins.",
    "Insurance costs for the project rose by {percent} percent this year, a figure the finance team described as manageable.",
    "The nearest railway station, at {town2}, will get extra cycle racks and a new footpath linking it to the site.",
    "Disability campaigners said they had been consulted early and were pleased with the step-free access in the final design.",
    "A spokesman for the fire service said emergency routes through {street} would stay open throughout the works.",
    "Some residents said they would have preferred a smaller scheme, but most speakers at the meeting backed the plans.",
    "The council's auditors will review the contract with {firm} every six months until the project is complete.",
]
_STREETS = ["High Street", "Mill Lane", "Station Road", "Church Street", "Market Row", "Bridge Street",
            "Quayside", "Victoria Road", "Castle Hill", "Water Lane"]


def story(seed: str, paragraphs: int | None = None, extra: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """(headline, paragraphs) of a plain local-news story, unique to `seed`.

    4 to 6 paragraphs of 3 or 4 sentences (well over 120 words); `extra` sentences are put
    at the start of the second paragraph, so a case can plant the characters it checks.
    """
    rng = random.Random(seed)
    towns = rng.sample(_TOWNS, 3)
    people = rng.sample(_PEOPLE, 3)
    slots = {
        "town": towns[0], "town2": towns[1], "town3": towns[2],
        "person": people[0], "person2": people[1], "person3": people[2],
        "firm": rng.choice(_FIRMS), "thing": rng.choice(_THINGS), "street": rng.choice(_STREETS),
        "month": rng.choice(_MONTHS), "day": rng.choice(_DAYS),
        "n": rng.randint(18, 30), "m": rng.randint(3, 17), "money": rng.randint(4, 95),
        "years": rng.randint(2, 9), "decades": rng.randint(3, 6), "thousands": rng.randint(5, 60),
        "trees": rng.randint(2, 9) * 50, "signatures": rng.randint(400, 4000), "percent": rng.randint(3, 19),
    }
    count = paragraphs or rng.randint(4, 6)
    chosen = rng.sample(_SENTENCES, count * 4)
    body: list[str] = []
    for p in range(count):
        take = chosen[p * 4:p * 4 + rng.choice((3, 4))]
        sentences = [s.format(**slots) for s in take]
        if p == 1:
            sentences = list(extra) + sentences
        body.append(" ".join(sentences))
    headline = f"{towns[0]} approves new {slots['thing']} after long debate"
    return headline, body


def story_text(seed: str, extra: tuple[str, ...] = (), headline: str | None = None) -> str:
    """A plain-text page dump: headline, blank line, paragraphs separated by blank lines."""
    title, paragraphs = story(seed, extra=extra)
    return "\n\n".join([headline if headline is not None else title, *paragraphs]) + "\n"


def story_html(seed: str, extra: tuple[str, ...] = (), head: str = "", before: str = "", after: str = "",
               charset: str = "utf-8") -> str:
    title, paragraphs = story(seed, extra=extra)
    ps = "\n".join(f"    <p>{p}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  {meta}\n  <title>{title}</title>\n{head}</head>\n"
        f"<body>\n{before}  <article>\n    <h1>{title}</h1>\n{ps}\n  </article>\n{after}</body>\n</html>\n"
    )


# --- fixed texts ----------------------------------------------------------------------------

_GERMAN = """Bürgerentscheid über neue Brücke in Süderwald

Die Bürger von Süderwald haben am Sonntag mit großer Mehrheit für den Bau einer neuen Fußgängerbrücke über die Ilme gestimmt. Mehr als zweiundsechzig Prozent der Wählerinnen und Wähler sprachen sich für das Vorhaben aus, das die beiden Ortsteile nach Jahrzehnten wieder direkt miteinander verbinden soll.

Bürgermeisterin Jördis Krämer zeigte sich nach der Auszählung erleichtert. Die Stadt habe lange über die Kosten gestritten, sagte sie, doch nun gebe es einen klaren Auftrag der Bürgerschaft. Die Brücke soll nach den Plänen des Bauamts rund vier Millionen Euro kosten und im übernächsten Frühjahr fertig sein.

Gegner des Projekts hatten vor allem vor steigenden Schulden gewarnt. Der Vorsitzende der Bürgerinitiative, Günther Schäfer, kündigte an, die Ausschreibung genau zu prüfen. Man werde darauf achten, dass die Kosten nicht aus dem Ruder laufen und die Anwohner während der Bauzeit nicht übermäßig belastet würden.

Die Geschäftsleute in der Altstadt begrüßten das Ergebnis. Sie hoffen, dass künftig mehr Besucher aus dem nördlichen Ortsteil zu Fuß in die Innenstadt kommen. Auch der örtliche Fahrradverein äußerte sich zufrieden, weil die Brücke breit genug für Radfahrer geplant ist.

Der Stadtrat will sich bereits in der kommenden Woche mit dem Zeitplan befassen. Zunächst müssen ein Gutachten zum Hochwasserschutz und eine Prüfung der Uferböschung abgeschlossen werden, bevor die ersten Bagger anrücken können.
"""

_FRENCH_PARAGRAPHS = [
    "Le conseil municipal de Saint-Aubin-sur-Loire a adopté jeudi soir, après plus de trois heures de débat, le projet de rénovation complète de la halle du marché, fermée au public depuis l’hiver dernier pour des raisons de sécurité.",
    "Le chantier, estimé à près de six millions d’euros, devrait commencer au printemps prochain et durer environ dix-huit mois. La maire, Françoise Delacroix, a expliqué que la commune avait obtenu une subvention importante de la région, ce qui permettra de limiter la hausse des impôts locaux.",
    "Les commerçants du centre-ville, qui réclamaient ces travaux depuis des années, se sont réjouis de la décision. « Sans la halle, le marché du samedi a perdu une grande partie de sa clientèle », a déclaré Thierry Morel, boucher installé sur la place depuis vingt-cinq ans.",
    "L’opposition municipale a toutefois voté contre le projet. Son chef de file, Hélène Garnier, estime que le coût final risque d’être bien plus élevé que prévu et regrette que les habitants n’aient pas été davantage consultés sur le choix de l’architecte.",
    "Pendant la durée des travaux, le marché sera déplacé sur le parking de la gare, où des abris provisoires seront installés. La mairie promet que les places de stationnement supprimées seront compensées par un parking relais à l’entrée de la ville.",
    "Le bâtiment, construit à la fin du dix-neuvième siècle, conservera sa charpente métallique d’origine, restaurée par une entreprise spécialisée. Une exposition sur l’histoire de la halle sera organisée à la médiathèque avant le début du chantier.",
]

def _page(title: str, paragraphs: list[str], lang: str, charset: str = "utf-8") -> str:
    """An article page in any language; `charset` "" declares none."""
    meta = f'<meta charset="{charset}">' if charset else ""
    ps = "\n".join(f"    <p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>{meta}<title>{title}</title></head>\n'
            f"<body><article>\n    <h1>{title}</h1>\n{ps}\n</article></body>\n</html>\n")


# Articles in scripts other than the Latin one: Korean writes spaces between words; Chinese,
# Japanese and Thai do not. The Korean one names a firm in Latin letters, a capitalised word that
# story profiles weigh with wordfreq (which tokenises Korean with MeCab, not installed).
_KOREAN_TITLE = "시의회, 강 가로지르는 새 보행교 건설 계획 통과"
_KOREAN = [
    "시의회는 목요일 저녁 강을 가로지르는 새 보행교 건설 계획을 찬성 다수로 통과시켰다. 총사업비는 약 사백억 원으로 예상되며, 공사는 내년 봄에 시작될 예정이다.",
    "김영수 시장은 기자회견에서 새 다리가 동쪽과 서쪽 지역을 연결해 출퇴근과 통학이 훨씬 편리해질 것이라고 말했다. 설계는 Hanbit Engineering이 맡았고, 시에 따르면 완공 후 하루 약 만 명이 이용할 것으로 보인다.",
    "한편 공사 기간 동안의 소음과 교통 체증을 걱정하는 목소리도 나오고 있다. 강변에 사는 은퇴 교사 박정희 씨는 다리 건설에는 찬성하지만 근처 학교와 병원에 미치는 영향을 최소화해 달라고 당부했다.",
    "야당 이민호 의원은 낡은 도로 보수와 버스 노선 유지에 예산을 먼저 써야 한다며 반대했다. 시는 앞으로 매달 공사 진행 상황을 공개하고 주민 설명회도 열 계획이다.",
]

_CHINESE_TITLE = "市议会批准修建跨河人行桥"
_CHINESE = [
    "市政府周四宣布，将在明年春季开始修建一座横跨河流的新人行桥。这项工程预计耗资约四千万元，工期为十八个月。市长王建国在新闻发布会上表示，新桥将把城市东西两岸的社区连接起来，方便数万居民日常出行。",
    "一些居民对施工期间的噪音和交通问题表示担忧。住在河边的退休教师李秀英说，她支持建桥，但希望政府能够合理安排施工时间，减少对附近学校和医院的影响。",
    "据市交通局介绍，新桥全长约三百二十米，宽十二米，设有自行车道和无障碍通道。工程设计由一家本地建筑公司负责，预计将采用环保材料，并在桥两端种植树木。",
    "反对派议员张伟认为，这笔钱应该优先用于维修老旧道路和改善公共交通。他说，在财政紧张的情况下，政府需要向市民详细说明资金来源和预算安排。",
]
_JAPANESE_TITLE = "市議会、川に架かる新しい歩道橋の建設を可決"
_JAPANESE = [
    "市議会は木曜日の夜、川に架かる新しい歩道橋の建設計画を賛成多数で可決した。総事業費はおよそ四十億円と見込まれ、工事は来年の春に始まる予定だ。",
    "田中市長は記者会見で、新しい橋によって東西の地区が結ばれ、通勤や通学がずっと便利になると述べた。市によると、完成後は一日に約一万人が利用すると見込まれている。",
    "一方で、工事中の騒音や交通渋滞を心配する声も上がっている。川沿いに住む元教師の佐藤さんは、橋には賛成だが、近くの学校や病院への影響をできるだけ小さくしてほしいと話した。",
    "野党の山本議員は、老朽化した道路の補修やバス路線の維持にこそ予算を使うべきだと反対した。市は今後、毎月工事の進み具合を公表し、住民説明会も開く予定だという。",
]
_THAI_TITLE = "สภาเทศบาลอนุมัติสร้างสะพานคนเดินข้ามแม่น้ำ"
_THAI = [
    "สภาเทศบาลลงมติเมื่อคืนวันพฤหัสบดีอนุมัติโครงการก่อสร้างสะพานคนเดินข้ามแม่น้ำแห่งใหม่ โครงการนี้คาดว่าจะใช้งบประมาณประมาณสี่ร้อยล้านบาท และจะเริ่มก่อสร้างในฤดูใบไม้ผลิปีหน้า",
    "นายกเทศมนตรีกล่าวในงานแถลงข่าวว่า สะพานแห่งใหม่จะเชื่อมชุมชนฝั่งตะวันออกและฝั่งตะวันตกเข้าด้วยกัน ทำให้การเดินทางไปทำงานและไปโรงเรียนสะดวกขึ้นมาก",
    "อย่างไรก็ตาม ชาวบ้านบางส่วนแสดงความกังวลเกี่ยวกับเสียงดังและปัญหาการจราจรระหว่างการก่อสร้าง ครูเกษียณที่อาศัยอยู่ริมแม่น้ำกล่าวว่าเธอสนับสนุนโครงการ แต่ขอให้ลดผลกระทบต่อโรงเรียนและโรงพยาบาลใกล้เคียง",
    "สมาชิกสภาฝ่ายค้านกล่าวว่างบประมาณควรนำไปใช้ซ่อมถนนที่ชำรุดและรักษาเส้นทางรถประจำทางก่อน เทศบาลจะเปิดเผยความคืบหน้าของโครงการทุกเดือนและจัดประชุมชี้แจงประชาชน",
]
# name -> (bytes, language, a phrase the body must keep): CJK in four scripts, legacy encodings
# declared and not, and plain-text dumps.
UNSPACED_SCRIPTS = {  # halves of one story: different enough never to be near-duplicates
    "chinese-gb18030.html": (_page(_CHINESE_TITLE, _CHINESE[:2], "zh", "gb18030").encode("gb18030"), "zh",
                             "方便数万居民日常出行。"),
    "chinese-gb18030-undeclared.html": (_page(_CHINESE_TITLE, _CHINESE[2:], "zh", "").encode("gb18030"), "zh",
                                        "设有自行车道和无障碍通道。"),
    "chinese-utf8.txt": ("\n\n".join([_CHINESE_TITLE, _CHINESE[3], _CHINESE[0]]).encode("utf-8"), "zh",
                         "他说，在财政紧张的情况下，"),
    "japanese-shift-jis.html": (_page(_JAPANESE_TITLE, _JAPANESE[:2], "ja", "shift_jis").encode("shift_jis"), "ja",
                                "総事業費はおよそ四十億円と見込まれ、"),
    "japanese-shift-jis-undeclared.txt": ("\n\n".join([_JAPANESE_TITLE, *_JAPANESE[2:]]).encode("shift_jis"), "ja",
                                          "住民説明会も開く予定だという。"),
    "thai.txt": ("\n\n".join([_THAI_TITLE, *_THAI]).encode("utf-8"), "th", "สะพานแห่งใหม่จะเชื่อมชุมชน"),
    "korean-utf8.txt": ("\n\n".join([_KOREAN_TITLE, *_KOREAN[2:]]).encode("utf-8"), "ko", "은퇴 교사 박정희 씨는"),
}

_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Millbrook Courier - Latest</title>
    <link>https://millbrook.example/</link>
    <description>Latest headlines from the Millbrook Courier</description>
    <item>
      <title>Council budget vote delayed</title>
      <link>https://millbrook.example/budget-vote</link>
      <description>The vote on next year's budget has been moved to Thursday.</description>
      <pubDate>Mon, 03 Jun 2024 09:00:00 GMT</pubDate>
    </item>
    <item>
      <title>New bus timetable from July</title>
      <link>https://millbrook.example/bus-timetable</link>
      <description>Route 7 will run every twenty minutes on weekdays.</description>
      <pubDate>Sun, 02 Jun 2024 18:30:00 GMT</pubDate>
    </item>
    <item>
      <title>Library reopens after repairs</title>
      <link>https://millbrook.example/library</link>
      <description>The central library opens its doors again on Saturday.</description>
      <pubDate>Sat, 01 Jun 2024 12:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>
"""


def _png() -> bytes:
    """A real 1x1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("story.txt", text)
    return buffer.getvalue()


def _pdf() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _jsonl(*lines: str | bytes) -> bytes:
    return b"".join((ln if isinstance(ln, bytes) else ln.encode("utf-8")) + b"\n" for ln in lines)


def _record(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


# --- the corpus -----------------------------------------------------------------------------


def build(raw: Path) -> dict[str, Expect]:
    """Write the hostile corpus into `raw` (created if missing); return name -> expected outcome."""
    raw.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes | str, outcome: Expect | None = None) -> Path:
        """Write a file; record its expected outcome (JSON-lines files record theirs per line)."""
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if outcome is not None:
            expect[name] = outcome
        return path

    # Good articles: the five seeds unchanged, and one exact copy of seed 000 (one of the pair
    # must come out as its duplicate; which one is the canonical is dedup's choice).
    seeds = sorted(SEED_DIR.glob("00*.txt"))
    assert len(seeds) == 5, seeds
    for seed in seeds:
        put(seed.name, seed.read_bytes(), _one(PUBLISHED))
    put(SEED_COPY, seeds[0].read_bytes(), _any(PUBLISHED, DUPLICATE))
    expect[seeds[0].name] = _any(PUBLISHED, DUPLICATE)

    # 1-3 empty inputs.
    put("empty.txt", b"", _one("empty"))
    put("whitespace.txt", b"  \t \n\n\t\t \r\n   \n", _one("empty"))
    put("bom-only.txt", codecs.BOM_UTF8, _one("empty"))
    put("bom-and-whitespace.txt", codecs.BOM_UTF8 + b" \n\t \n", _one("empty"))
    put("zero-width-only.txt", "\u200b\u200d\u2060\n\u00ad\n".encode("utf-8"), _one("empty"))

    # 4-8 binaries under page names.
    put("image.html", _png(), _one("binary"))
    put("archive.txt", _zip(story_text("archive")), _one("binary"))
    put("document.html", _pdf(), _one("binary"))
    put("compressed.txt", gzip.compress(story_text("compressed").encode("utf-8"), mtime=0), _one("binary"))
    text = story_text("nul-bytes")
    put("nul-bytes.txt", b"".join(
        ch.encode("utf-8") + (b"\x00" if i % 97 == 50 else b"") for i, ch in enumerate(text)
    ), _one("binary"))

    # 9 UTF-8 cut inside a multi-byte character at the very end.
    phrase = "the café on Rue Émile-Zola"
    data = story_text("truncated-utf8", extra=(f"Witnesses gathered outside {phrase} before dawn.",)).encode("utf-8")
    data = data.rstrip(b"\n") + " and the naïve résumé of events ended with “".encode()[:-1]
    assert data[-2:] == "“".encode()[:2]
    put("truncated-utf8.txt", data, _one(PUBLISHED, body_contains=(phrase,)))
    # The same, checking the line that holds the cut: its earlier characters must survive too.
    data = story_text("truncated-utf8-tail").encode("utf-8").rstrip(b"\n")
    # (a story's last line, long enough to read as one: a short line at a page's end is chrome)
    data += ("\n\nThe naïve résumé of the evening, which the mayor read aloud to the residents who had stayed "
             "until the end of the long debate in the town hall, ended with “").encode()[:-1]
    put("truncated-utf8-tail.txt", data, _one(
        PUBLISHED, body_contains=("The naïve résumé of the evening",), body_lacks=("√", "‚Ä"),
    ))

    # 10-12 UTF-16 with and without a byte-order mark.
    for name, codec, bom in (("utf16-bom.txt", "utf-16-le", codecs.BOM_UTF16_LE),
                             ("utf16-nobom-le.txt", "utf-16-le", b""),
                             ("utf16-nobom-be.txt", "utf-16-be", b"")):
        quote = f"“a fair deal for everyone in {name[:-4]}”"
        text = story_text(name, extra=(f"The mayor called the agreement {quote} and thanked the planners.",))
        put(name, bom + text.encode(codec), _one(PUBLISHED, body_contains=(quote,)))
    # UTF-32 with a byte-order mark.
    text = story_text("utf32", extra=("Officials described the plan as “ambitious but realistic” on Friday.",))
    put("utf32-bom.txt", codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
        _one(PUBLISHED, body_contains=("“ambitious but realistic”",)))

    # 13 undeclared latin-1 German text.
    put("latin1.txt", _GERMAN.encode("latin-1"),
        _one(PUBLISHED, body_contains=("Bürger von Süderwald", "Günther Schäfer"), language="de"))

    # 14 declared windows-1252 page with curly quotes, é and em dashes.
    extra = ("The café owner said the plan was “long overdue” — and that the old square needed it.",)
    page = story_html("windows-1252", extra=extra, charset="windows-1252")
    put("windows-1252.html", page.encode("cp1252"),
        _one(PUBLISHED, body_contains=("café owner", "“long overdue” — and")))
    # A page that declares UTF-8 but is windows-1252 (the declaration lies), and one that
    # declares a charset nobody knows.
    extra = ("A résumé of the débâcle was read out at the meeting in the Hôtel de Ville.",)
    put("lying-charset.html", story_html("lying-charset", extra=extra, charset="utf-8").encode("cp1252"),
        _one(PUBLISHED, body_contains=("résumé of the débâcle", "Hôtel de Ville")))
    extra = ("The naïve façade of the old exchange will be restored first.",)
    put("bogus-charset.html", story_html("bogus-charset", extra=extra, charset="x-no-such-charset").encode("utf-8"),
        _one(PUBLISHED, body_contains=("naïve façade",)))

    # 15 mojibake (UTF-8 read as windows-1252 somewhere upstream), stored as UTF-8.
    extra = ("Putinâ€™s visit to the region was mentioned only briefly in the debate.",)
    put("mojibake.txt", story_text("mojibake", extra=extra).encode("utf-8"),
        _one(PUBLISHED, body_contains=("Putin’s visit",), body_lacks=("â€™", "â€")))

    # A file pasted together from a UTF-8 and a windows-1252 source: each line in its own charset.
    title, paragraphs = story("mixed-encodings")
    utf8_line = "The café in Zürich served crème brûlée to the naïve visitors."
    cp1252_line = "Señora Müller said the “old crêperie” would reopen — after repairs."
    put("mixed-encodings.txt", b"\n\n".join(
        [title.encode("utf-8"), (paragraphs[0] + " " + utf8_line).encode("utf-8"),
         (paragraphs[1] + " " + cp1252_line).encode("cp1252"), *(p.encode("utf-8") for p in paragraphs[2:])]) + b"\n",
        _one(PUBLISHED, body_contains=(utf8_line, cp1252_line), body_lacks=("Ã", "Ă", "Ĺ")))

    # Other good-but-odd text files.
    extra = ("Children waved flags 🎉 and a brass band played as the ribbon was cut 🏛️.",)
    put("emoji.txt", story_text("emoji", extra=extra), _one(PUBLISHED, body_contains=("flags 🎉",)))
    put("crlf.txt", story_text("crlf").replace("\n", "\r\n"), _one(PUBLISHED, body_lacks=("\r",)))
    put("utf8-bom.txt", codecs.BOM_UTF8 + story_text("utf8-bom").encode("utf-8"),
        _one(PUBLISHED, body_lacks=("\ufeff",)))

    # 16-17 too large: a sparse 200 MB file, and one 20 MB line of words.
    with open(raw / "huge-200mb.txt", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    expect["huge-200mb.txt"] = _one("too_large")
    words = b"council budget bridge river market "
    put("one-line-20mb.txt", words * (20 * 1024 * 1024 // len(words) + 1), _one("too_large"))

    # 18 markup nested 100,000 levels deep; and a flat page of 250,000 elements.
    title, paragraphs = story("deep-nesting")
    put("deep-nesting.html", "<html><body>" + "<div>" * 100_000 + " ".join(paragraphs) + "</div>" * 100_000
        + "</body></html>", _one("too_complex"))
    # Nested past libxml2's default 256 levels but within max_html_depth (2,000, html and body
    # counted): the story is extracted; one level more is too_complex.
    for depth, outcome in ((300, PUBLISHED), (2000, PUBLISHED), (2001, "too_complex")):
        title, paragraphs = story(f"deep-{depth}")
        divs = depth - 2
        put(f"deep-{depth}.html", f"<html><head><title>{title}</title></head><body>" + "<div>" * divs
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>" * divs + "</body></html>",
            _one(outcome, body_contains=(paragraphs[-1],) if outcome == PUBLISHED else ()))
    title, paragraphs = story("many-elements")
    put("many-elements.html", "<html><body><p>" + " ".join(paragraphs) + "</p>" + "<span></span>" * 250_000
        + "</body></html>", _one("too_complex"))

    # 19-21 pages with no article.
    put("script-style-only.html",
        "<html><head><style>body { color: #333; } .x { display: block; }</style>"
        "<script>var config = {page: 'home', items: [1, 2, 3]}; console.log(config);</script></head>"
        "<body><script>document.write('Hello from a script that writes a whole paragraph of text into the page at load time');</script>"
        "<style>p { margin: 0 }</style></body></html>",
        _one("not_an_article"))
    put("no-body.html", "<html><head><title>x</title></head></html>", _one("not_an_article"))
    # The banner's own text is the whole page: the cookie selector keeps an element holding
    # most of the page's text (a wrapper with an unlucky class), so either the extractor finds
    # no main text (not_an_article) or the text rules cut the consent sentences afterwards
    # (empty_after_strip). Both name the cause precisely: there is no story on the page.
    put("cookie-banner-only.html",
        "<html><head><title>Welcome</title></head><body><div class=\"cookie-banner\">"
        "<p>We use cookies to improve your experience on our site and to show you personalised content. "
        "By clicking Accept all you agree to the storing of cookies on your device.</p>"
        "<button>Accept all</button><button>Reject all</button><a href=\"/cookies\">Cookie settings</a>"
        "</div></body></html>",
        _any("empty_after_strip", "not_an_article"))

    # 22 a French news page.
    ps = "\n".join(f"<p>{p}</p>" for p in _FRENCH_PARAGRAPHS)
    put("other-language.html",
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
        "<title>Saint-Aubin-sur-Loire : la halle du marché sera rénovée</title></head><body><article>"
        f"<h1>Saint-Aubin-sur-Loire : la halle du marché sera rénovée</h1>\n{ps}\n</article></body></html>",
        _one(PUBLISHED, body_contains=("la halle du marché", "« Sans la halle"), language="fr"))

    # 23 a crawler export with a broken line and a JSON array among good records.
    title1, paras1 = story("feed-1")
    title3, paras3 = story("feed-3")
    put("feed.jsonl", _jsonl(
        _record(url="https://news.example/feed-1", title=title1, text="\n\n".join(paras1)),
        '{"url": "x", "text": "unterminated',
        _record(url="https://news.example/feed-3", html="<html><body><article><h1>" + title3 + "</h1>"
                + "".join(f"<p>{p}</p>" for p in paras3) + "</article></body></html>"),
        "[1,2]",
    ))
    expect["feed.jsonl#1"] = _one(PUBLISHED, body_contains=(paras1[0][:60],))
    expect["feed.jsonl#2"] = _one("bad_record")
    expect["feed.jsonl#3"] = _one(PUBLISHED, body_contains=(paras3[0][:60],))
    expect["feed.jsonl#4"] = _one("bad_record")

    # 24 two records claiming the same id: ids come from the path and line, so both publish.
    put("dup-ids.jsonl", _jsonl(
        _record(id="same", url="https://news.example/a", text=story_text("dup-ids-a")),
        _record(id="same", url="https://news.example/b", text=story_text("dup-ids-b")),
    ))
    expect["dup-ids.jsonl#1"] = _one(PUBLISHED)
    expect["dup-ids.jsonl#2"] = _one(PUBLISHED)

    # 25 records of the wrong shape.
    put("jsonl-bad-types.jsonl", _jsonl(
        '{"url": "https://news.example/42", "html": 42}',
        '{"url": "https://news.example/none", "title": "No page here"}',
        '{"url": "https://news.example/blank", "text": "   "}',
        b'{"url": "https://news.example/bytes", "text": "caf\xe9 \xff\xfe not utf-8"}',
        _record(url="https://news.example/html-empty", html="", text=story_text("html-empty-text-good")),
        '{"url": "https://news.example/null", "html": null, "text": null}',
        '"just a string"',
        "null",
    ))
    expect["jsonl-bad-types.jsonl#1"] = _one("bad_record")
    expect["jsonl-bad-types.jsonl#2"] = _one("bad_record")
    expect["jsonl-bad-types.jsonl#3"] = _one("empty")
    expect["jsonl-bad-types.jsonl#4"] = _one("bad_record")  # not UTF-8: not JSON text
    expect["jsonl-bad-types.jsonl#5"] = _one(PUBLISHED)  # empty html, good text: the text is the page
    expect["jsonl-bad-types.jsonl#6"] = _one("bad_record")  # both null: no page
    expect["jsonl-bad-types.jsonl#7"] = _one("bad_record")
    expect["jsonl-bad-types.jsonl#8"] = _one("bad_record")

    # A record nested 10,000 levels deep (json's parser recurses per level), then a good one.
    put("deep-json.jsonl", _jsonl('{"url": "https://news.example/deep", "text": "x", "meta": '
                                  + "[" * 10_000 + "]" * 10_000 + "}",
                                  _record(url="https://news.example/after-deep", text=story_text("after-deep-json"))))
    expect["deep-json.jsonl#1"] = _one("bad_record")
    expect["deep-json.jsonl#2"] = _one(PUBLISHED)

    # Blank lines between records: line numbers count them, records are not shifted.
    put("blank-lines.jsonl", b"\n\n" + _jsonl(_record(url="https://news.example/blank-lines",
                                                      text=story_text("blank-lines"))) + b"   \n\n")
    expect["blank-lines.jsonl#3"] = _one(PUBLISHED)

    # 26-27 an empty export, and one record over max_bytes.
    put("empty.jsonl", b"", _one("empty"))
    put("jsonl-oversize.jsonl", _jsonl('{"url": "https://news.example/big", "text": "'
                                       + "word " * (12 * 1024 * 1024 // 5) + '"}'))
    expect["jsonl-oversize.jsonl#1"] = _one("too_large")

    # 28-33 odd file names, all good articles.
    for name in ("name with spaces.txt", "quotes\"and'apostrophes.txt", "new\nline.txt",
                 "ünïcødé-名前.txt", "-leading-dash.txt"):
        put(name, story_text(name), _one(PUBLISHED))
    put("--help.html", story_html("--help"), _one(PUBLISHED))
    put("UPPER-CASE.HTML", story_html("upper-case"), _one(PUBLISHED))
    put("@at-sign.html", story_html("at-sign"), _one(PUBLISHED))  # a formula character: the CSV cell gets "'"
    put("-dash-empty.txt", b"", _one("empty"))  # the same in rejects.csv
    # A real folder inside raw/; linked-folder and inside-link.txt (below) point into it.
    put("section/inside.txt", story_text("section/inside"), _any(PUBLISHED, DUPLICATE))

    # 34-36 symlinks: out of raw/, a loop, a dangling one.
    secret = raw.parent / OUTSIDE_FILE
    secret.write_text(story_text("outside", extra=(f"The code word is {OUTSIDE_MARKER}.",)), encoding="utf-8")
    os.symlink(secret, raw / "outside-link.txt")
    expect["outside-link.txt"] = _one("outside_raw")
    os.symlink("../" + OUTSIDE_FILE, raw / "outside-relative-link.txt")
    expect["outside-relative-link.txt"] = _one("outside_raw")
    os.symlink("loop-b.txt", raw / "loop-a.txt")
    os.symlink("loop-a.txt", raw / "loop-b.txt")
    expect["loop-a.txt"] = _one("unreadable")
    expect["loop-b.txt"] = _one("unreadable")
    os.symlink("does-not-exist.txt", raw / "dangling-link.txt")
    expect["dangling-link.txt"] = _one("unreadable")
    # A symlink to a file inside raw/ is read (it stays inside).
    os.symlink("section/inside.txt", raw / "inside-link.txt")
    expect["inside-link.txt"] = _any(PUBLISHED, DUPLICATE)  # same bytes as section/inside.txt: one of the pair is the duplicate

    # 37 a file nobody may read (root reads it anyway).
    path = put("no-permission.txt", story_text("no-permission"),
               _one(PUBLISHED if os.geteuid() == 0 else "unreadable"))
    path.chmod(0o000)

    # 38-40 not regular files, and formats we do not read.
    os.mkfifo(raw / "pipe.txt")
    expect["pipe.txt"] = _one("unsupported_format")
    os.symlink("section", raw / "linked-folder")
    expect["linked-folder"] = _one("unsupported_format")
    put("report.pdf", _pdf(), _one("unsupported_format"))
    put("data.csv", "id,name\n1,=cmd|' /C calc'!A0\n", _one("unsupported_format"))
    put("README", story_text("readme"), _one("unsupported_format"))

    # 41 sidecars: broken JSON, a JSON array, and a good one.
    put("broken-sidecar.txt", story_text("broken-sidecar"), _one("bad_record"))
    (raw / "broken-sidecar.txt.meta.json").write_text("{not json", encoding="utf-8")
    put("array-sidecar.txt", story_text("array-sidecar"), _one("bad_record"))
    (raw / "array-sidecar.txt.meta.json").write_text("[1, 2]", encoding="utf-8")
    put("good-sidecar.txt", story_text("good-sidecar"), _one(PUBLISHED))
    (raw / "good-sidecar.txt.meta.json").write_text(json.dumps(
        {"url": "https://news.example/good-sidecar", "site": "The Example Post", "fetched_at": "2024-06-20T10:00:00Z"}
    ), encoding="utf-8")

    # Addresses that are no web page's: a sidecar's javascript: url and a "fetched_at" that is
    # no time, a crawler's data: and vbscript: urls, and a <base href> on a page with no
    # canonical link. The values go, the articles stay.
    put("javascript-url.txt", story_text("javascript-url"), _one(PUBLISHED, url="", fetched_at=""))
    (raw / "javascript-url.txt.meta.json").write_text(json.dumps(
        {"url": "javascript:alert(document.cookie)", "fetched_at": "not a date"}), encoding="utf-8")
    put("dangerous-urls.jsonl", _jsonl(
        _record(url="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", text=story_text("data-url")),
        _record(url="vbscript:msgbox(1)", fetched_at="2024-06-20T10:00:00Z", text=story_text("vbscript-url")),
    ))
    expect["dangerous-urls.jsonl#1"] = _one(PUBLISHED, url="")
    expect["dangerous-urls.jsonl#2"] = _one(PUBLISHED, url="", fetched_at="2024-06-20T10:00:00Z")
    put("base-href.html", story_html("base-href", head='  <base href="https://cdn.evil.example/assets/">\n'),
        _one(PUBLISHED, url="", site=""))

    # 42 spreadsheet formulas: a headline that is a formula, and body lines starting with + - @.
    formula = FORMULA
    _, paragraphs = story("formula")
    lines = [formula, "", "-5 degrees was the forecast for the night of the vote, the coldest of the year.", "",
             *paragraphs[:2], "", "+44 20 7946 0000 is the number residents were given for questions.",
             "", "@mayor replied to residents late on Friday evening.", "", *paragraphs[2:]]
    put("formula.txt", "\n".join(lines) + "\n", _one(PUBLISHED, body_contains=(
        "@mayor replied", "+44 20 7946 0000 is the number", "-5 degrees was the forecast")))
    # The same attack through an HTML page's headline (<title> and <h1>).
    put("formula-title.html", story_html("formula-title").replace(
        story("formula-title")[0], formula.replace('"', "&quot;")), _one(PUBLISHED))

    # 43 hidden text, scripts, noscript and templates around a good article.
    hidden = ("<div style=\"display:none\">HIDDENSPAM keyword stuffing cheap pills casino bonus</div>\n"
              "<p hidden>HIDDENSPAM2 more invisible keywords</p>\n"
              "<script>var SCRIPTMARK=1;</script>\n<noscript>NOSCRIPTMARK please enable scripts</noscript>\n"
              "<template><p>TEMPLATEMARK template content</p></template>\n"
              "<span style=\"visibility: hidden\">VISIBILITYMARK</span>\n")
    put("hidden-text.html", story_html("hidden-text", before=hidden, after=hidden), _one(PUBLISHED, body_lacks=(
        "HIDDENSPAM", "HIDDENSPAM2", "SCRIPTMARK", "NOSCRIPTMARK", "TEMPLATEMARK", "VISIBILITYMARK")))

    # 44-45 noise.
    rng = random.Random(1)
    put("random-high-bytes.txt", bytes(rng.randint(1, 255) for _ in range(5 * 1024)), _one("undecodable"))
    rng = random.Random(2)
    put("random-upper-half.txt", bytes(rng.randint(0x80, 0xFF) for _ in range(5 * 1024)), _one("undecodable"))
    text = story_text("control-chars")
    rng = random.Random(3)
    put("control-chars.txt", "".join(ch + (chr(rng.randint(1, 8)) if i % 5 == 0 else "") for i, ch in enumerate(text)),
        _one("undecodable"))

    # 46-48 pages that only point elsewhere, an app shell, a feed saved as a page.
    put("redirect-only.html",
        "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0; url=https://news.example/moved\">"
        "<title>Redirecting…</title></head><body><p>Redirecting…</p></body></html>",
        _any("not_an_article", "empty_after_strip"))  # no story text: which stage notices first is the extractor's business
    put("js-shell.html",
        "<!DOCTYPE html><html><head><title>News App</title></head><body><div id=\"root\"></div>"
        "<noscript>You need to enable JavaScript to run this app.</noscript>"
        "<script src=\"/static/js/main.3f2a1c.js\"></script></body></html>",
        _any("not_an_article", "empty_after_strip"))  # same: there is nothing but an empty mount point
    # A feed is an index of other pages, not an article.
    put("rss-as.html", _RSS, _one("not_an_article"))

    # Too little text, and a link list with no running text.
    put("too-short.txt", "Council meets on Thursday.\n\nThe agenda is online.\n", _one("empty_after_strip"))
    items = "".join(f"<li><a href=\"/story-{i}\">Headline number {i} about the town</a></li>" for i in range(12))
    put("link-list.html", f"<html><head><title>Index</title></head><body><h1>Latest stories</h1><ul>{items}</ul></body></html>",
        _one("not_an_article"))  # link density of the main text ~1.0

    # A Korean article that reaches dedup (its story profiles hold a Latin name).
    put("korean.html", _page(_KOREAN_TITLE, _KOREAN[:2], lang="ko"),
        _one(PUBLISHED, body_contains=("Hanbit Engineering이 맡았고",), language="ko"))

    # Scripts written without spaces (Chinese, Japanese, Thai) and Korean, in their legacy encodings too.
    for name, (data, language, phrase) in UNSPACED_SCRIPTS.items():
        put(name, data, _one(PUBLISHED, body_contains=(phrase,), language=language))

    # A hidden file: not an input at all (the manifest lists it as skipped).
    (raw / ".hidden.txt").write_text(story_text("hidden-file"), encoding="utf-8")
    return expect


if __name__ == "__main__":  # write a corpus to look at: python -m tests.hostile /tmp/x/raw
    import sys

    target = Path(sys.argv[1])
    if target.exists():
        shutil.rmtree(target)
    for key, value in build(target).items():
        print(f"{key!r}: {sorted(value.outcomes)}")
