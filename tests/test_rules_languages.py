"""Boilerplate wording in English, German, French and Spanish: story text in each language that
uses the words of a category's standard phrasing stays; teaser runs and comment threads go with
their marker. The phrasing each rule cuts (WordPress core and plugin translations, news sites)
is in the rule's own `examples` (src/cleaner/rules/*.toml, run by tests/test_rule_examples.py).

Built like tests/test_strip.py: a small text dump (headline, head chrome, a four-paragraph story
with `middle` inserted halfway, tail chrome) goes through extract and strip; the test checks
what was removed and under which category.
"""

from __future__ import annotations

import pytest

from cleaner.record import Article
from cleaner.strip import strip
from tests.conftest import blocks_of
from tests.test_strip import STORY as EN_STORY

STORIES = {
    "en": EN_STORY,  # the story of tests/test_strip.py
    "de": [
        "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt beschlossen, wobei die Fraktionen "
        "bis in den späten Abend darüber stritten, wie viel Geld in Straßen, Schulen und die seit Jahren geplante Bibliothek fließen soll.",
        "Die Befürworter erklärten, mit dem Plan könnten endlich die maroden Brücken im Osten der Stadt saniert werden, "
        "während Kritiker warnten, dass die höhere Grundsteuer vor allem Familien treffe, die schon unter den Preisen leiden.",
        "Der Bürgermeister, der im Frühjahr noch mit einem Veto gedroht hatte, lobte den Kompromiss und sagte, die Stadt "
        "könne nun für die nächsten fünf Jahre planen, ohne von einer Notlage in die nächste zu stolpern.",
        "Über die Mittel für die Bibliothek soll im kommenden Monat abgestimmt werden, sobald die Ingenieure die Kosten "
        "für die Reparatur des Daches ermittelt haben, das seit den Stürmen des vergangenen Jahres gesperrt ist.",
    ],
    "fr": [
        "Le conseil municipal a adopté mardi le nouveau budget après un débat qui s'est prolongé tard dans la soirée, "
        "les élus se divisant sur les sommes à consacrer aux routes, aux écoles et au projet de médiathèque attendu depuis longtemps.",
        "Les partisans du plan estiment qu'il permettra enfin de réparer les ponts vétustes de l'est de la ville, tandis que "
        "ses détracteurs redoutent que la hausse de la taxe foncière ne pèse sur des familles déjà fragilisées par l'inflation.",
        "Le maire, qui avait menacé au printemps d'opposer son veto, a salué le compromis et affirmé que la ville pourrait "
        "désormais planifier les cinq prochaines années sans passer d'une urgence à l'autre comme par le passé.",
        "Un vote définitif sur le financement de la médiathèque est attendu le mois prochain, une fois que les ingénieurs "
        "auront chiffré la réparation de la toiture du vieux bâtiment, fermé au public depuis les tempêtes de l'an dernier.",
    ],
    "es": [
        "El concejo municipal aprobó el martes el nuevo presupuesto tras un debate que se prolongó hasta bien entrada la noche, "
        "con los concejales divididos sobre cuánto gastar en carreteras, escuelas y el proyecto de la biblioteca, aplazado durante años.",
        "Los partidarios del plan dijeron que por fin permitirá reparar los puentes deteriorados del este de la ciudad, mientras "
        "que los críticos advirtieron de que el aumento del impuesto predial golpeará a familias que ya sufren por los precios.",
        "El alcalde, que en primavera había amenazado con un veto, elogió el acuerdo y afirmó que la ciudad podrá planificar "
        "los próximos cinco años sin pasar de una emergencia a otra, como había ocurrido en el pasado reciente.",
        "Se espera una votación final sobre los fondos de la biblioteca el mes próximo, cuando los ingenieros hayan calculado "
        "el costo de reparar el techo del viejo edificio, cerrado al público desde las tormentas del año pasado.",
    ],
}
TITLES = {"en": "Council Passes Budget", "de": "Stadtrat beschließt Haushalt",
          "fr": "Le conseil adopte le budget", "es": "El concejo aprueba el presupuesto"}


def page(lang: str, *, head=(), middle=(), tail=()) -> str:
    story = STORIES[lang]
    return "\n\n".join([TITLES[lang], *head, *story[:2], *middle, *story[2:], *tail])


def run(text: str, rules) -> Article:
    result = strip(blocks_of(text, rules), rules, min_words=0)
    assert isinstance(result, Article), result
    return result


def categories(article: Article) -> dict[str, str]:
    return {r.text: r.category for r in article.removals}


# Story text in the same language with the same words: it must stay.
NEGATIVE = [
    # cookie
    ("de", "cookie", "Die Kommission will die Datenschutz-Regeln ändern: Wer Cookies ablehnen möchte, soll das künftig mit einem Klick tun können.", "middle"),
    ("fr", "cookie", "Selon la Cnil, les sites doivent permettre de refuser les cookies aussi simplement que de les accepter.", "middle"),
    ("es", "cookie", "La autoridad de protección de datos multó a la empresa porque su web instalaba cookies sin permitir rechazarlas.", "middle"),
    ("en", "cookie", "Regulators said sites must let visitors reject all cookies with one click, and that the setting must be as visible as accept all.", "middle"),
    # donation
    ("de", "donation", "Die Hilfsorganisation bittet um Spenden für die Flutopfer; bisher haben mehr als zweitausend Menschen Geld überwiesen.", "middle"),
    ("de", "donation", "Der Abgeordnete ist jetzt Mitglied des Haushaltsausschusses und will sich für die Bibliothek einsetzen.", "middle"),
    ("fr", "donation", "L'association a lancé un appel aux dons pour reconstruire l'école, et les habitants ont déjà réuni plusieurs milliers d'euros.", "middle"),
    ("es", "donation", "La asociación vecinal pidió a los socios que apoyen el proyecto con una donación para restaurar el techo.", "middle"),
    ("en", "donation", "The charity said donations rose by a third last year, as more residents chose to support the shelter with a monthly gift.", "middle"),
    # related
    ("de", "related", "Lesen Sie mehr über den Haushalt im Bericht der Verwaltung, der mehr als dreihundert Seiten umfasst und jeden Posten auflistet.", "middle"),
    ("de", "related", "Weitere Artikel des Gesetzes sollen im Herbst geändert werden, kündigte die Ministerin an.", "middle"),
    ("fr", "related", "À lire aussi dans le rapport de la commission, les recommandations sur le financement des écoles de quartier.", "middle"),
    ("es", "related", "Lea también el informe de la comisión, que recomienda aumentar el presupuesto de las escuelas del barrio.", "middle"),
    ("en", "related", "Filed under seal, the documents show the engineers warned about the roof in 2019.", "tail"),
    ("en", "related", "Similar posts were made by other officials in the weeks before the vote, according to the council's records.", "middle"),
    # comments
    ("de", "comments", "Der Bürgermeister wollte die Kritik nicht kommentieren und verwies auf eine Pressekonferenz am Donnerstag.", "middle"),
    ("de", "comments", "Kommentar", "middle"),
    ("fr", "comments", "Il a laissé un commentaire sur le réseau social, que ses opposants ont aussitôt dénoncé.", "middle"),
    ("es", "comments", "El alcalde dejó un comentario en la red social que sus críticos calificaron de ofensivo.", "middle"),
    ("en", "comments", "Residents were invited to leave a comment on the plan at the public hearing, and more than two hundred did so before the deadline.", "middle"),
    # navigation
    ("de", "navigation", "Navigation", "middle"),
    ("de", "navigation", "Zurück im Rathaus sagte der Bürgermeister, die Stadt werde die Brücken zuerst sanieren.", "middle"),
    ("fr", "navigation", "Retour sur une année de débats au conseil municipal, marquée par la question des écoles.", "middle"),
    ("es", "navigation", "Inicio de las obras: la alcaldía prevé empezar a reparar los puentes en septiembre.", "middle"),
    ("en", "navigation", "Search teams found the missing hikers near the old bridge on Tuesday morning.", "middle"),
    # breadcrumb
    ("en", "breadcrumb", "Roads > schools > libraries was the order of priorities the mayor set out, to the dismay of many.", "middle"),
    ("de", "breadcrumb", "Sie sind hier im Rathaus, um zuzuhören, sagte der Bürgermeister zu den Anwohnern.", "middle"),
    ("fr", "breadcrumb", "Vous êtes ici chez vous, a lancé le maire aux habitants venus assister au conseil.", "middle"),
    ("es", "breadcrumb", "Usted está aquí para escuchar a los vecinos, dijo el alcalde al abrir la sesión.", "middle"),
    ("de", "navigation", "Nächster Artikel des Gesetzes betrifft die Grundsteuer, die im Herbst steigen soll.", "middle"),
    # share
    ("de", "share", "Die Fraktionen teilen die Sorge um die maroden Brücken, streiten aber über die Finanzierung.", "middle"),
    ("fr", "share", "Les habitants partagent l'inquiétude du maire sur l'état des ponts de l'est de la ville.", "middle"),
    ("es", "share", "Los vecinos comparten la preocupación del alcalde por el estado de los puentes.", "middle"),
    ("de", "share", "Hat es den Anwohnern gefallen? Viele teilen die Einschätzung des Bürgermeisters nicht.", "middle"),
    ("en", "share", "Shares in the construction company rose by six percent after the vote, as investors bet on new contracts.", "middle"),
    # newsletter
    ("de", "newsletter", "Im Newsletter der Stadt sollen die neuen Steuersätze vor dem ersten Bescheid erklärt werden.", "middle"),
    ("fr", "newsletter", "La lettre d'information municipale expliquera les nouveaux taux avant l'envoi des premiers avis.", "middle"),
    ("es", "newsletter", "El boletín municipal explicará las nuevas tarifas antes de que lleguen los primeros recibos.", "middle"),
    ("en", "newsletter", "The council's newsletter, mailed to every household, will explain the new tax rates in plain language.", "middle"),
    ("es", "newsletter", "Ingresa tu correo electrónico y la contraseña del banco solo en la aplicación oficial, advirtió la policía.", "middle"),
    # author_bio
    ("en", "author_bio", "The author of the engineers' report, a consultant from Boston, said the estimate was far too low.", "middle"),
    ("de", "author_bio", "Der Autor des Gutachtens, ein Ingenieur aus München, hält die Kostenschätzung für zu niedrig.", "middle"),
    ("fr", "author_bio", "L'auteur du rapport, un ingénieur lyonnais, juge l'estimation des coûts trop optimiste.", "middle"),
    ("es", "author_bio", "El autor del informe, un ingeniero de Sevilla, considera que el costo está subestimado.", "middle"),
    # advertising
    ("en", "advertising", "The advertising campaign for the new stadium cost the city more than two hundred thousand dollars.", "middle"),
    ("de", "advertising", "Die Polizei hat Anzeige gegen den Fahrer erstattet, der nach dem Unfall geflüchtet war.", "middle"),
    ("fr", "advertising", "La publicité pour le nouveau stade a coûté plus de deux cent mille euros à la ville.", "middle"),
    ("es", "advertising", "La publicidad institucional del ayuntamiento costó más de doscientos mil euros el año pasado.", "middle"),
    # legal
    ("de", "legal", "Die Kommission will die Datenschutz-Regeln ändern.", "middle"),
    ("de", "legal", "Die Rechte an dem Grundstück wurden bereits im vergangenen Jahr an die Stadt übertragen.", "middle"),
    ("fr", "legal", "Les mentions légales du contrat ont été contestées devant le tribunal administratif.", "middle"),
    ("es", "legal", "El aviso legal de la empresa fue presentado ante el juzgado la semana pasada.", "middle"),
    ("en", "legal", "The company said all rights to the stadium's name had been sold to a bank for ten years.", "middle"),
    # byline
    ("en", "byline", "By the end of the meeting, most members had agreed to the compromise on the library.", "middle"),
    ("de", "byline", "Von Montag an gelten neue Regeln für den Verkehr in der Innenstadt, teilte die Verwaltung mit.", "middle"),
    ("fr", "byline", "Par ailleurs, le conseil a voté une subvention pour le club de football de la ville.", "middle"),
    ("es", "byline", "Por otra parte, el concejo aprobó una subvención para el club de fútbol de la ciudad.", "middle"),
]


@pytest.mark.parametrize(("lang", "category", "text", "where"), NEGATIVE,
                         ids=[f"{lang}-{cat}:{text[:30]}" for lang, cat, text, _ in NEGATIVE])
def test_story_text_with_boilerplate_words_stays(rules, lang, category, text, where):
    result = run(page(lang, **{where: [text]}), rules)
    assert text in result.body, categories(result).get(text)


@pytest.mark.parametrize(("lang", "marker", "teasers"), [
    ("de", "Das könnte Sie auch interessieren", ["Bürgermeister droht mit Veto", "Brücken im Osten werden saniert"]),
    ("fr", "Articles similaires", ["Le maire menace d'un veto", "Les ponts de l'est seront rénovés"]),
    ("es", "Entradas relacionadas", ["El alcalde amenaza con un veto", "Reparan los puentes del este"]),
])
def test_teasers_after_a_marker_go_with_it(rules, lang, marker, teasers):
    result = run(page(lang, tail=[marker, *teasers]), rules)
    assert [categories(result).get(t) for t in (marker, *teasers)] == ["related"] * 3
    assert all(p in result.body for p in STORIES[lang])


@pytest.mark.parametrize(("lang", "thread"), [
    ("en", ["One thought on “Council Passes Budget”", "Jen P. says:", "Finally, the library gets its roof.", "Reply"]),
    ("de", ["2 Gedanken zu „Stadtrat beschließt Haushalt“", "Jens sagt:", "Endlich wird das Dach repariert.", "Antworten"]),
    ("fr", ["Une réflexion sur « Le conseil adopte le budget »", "Marie dit :", "Enfin, la toiture sera réparée.", "Répondre"]),
    ("es", ["2 respuestas a «El concejo aprueba el presupuesto»", "Juan dice:", "Por fin arreglan el techo.", "Responder"]),
])
def test_a_comment_thread_goes_with_its_heading(rules, lang, thread):
    result = run(page(lang, tail=thread), rules)
    assert [categories(result).get(t) for t in thread] == ["comments"] * len(thread)
    assert all(p in result.body for p in STORIES[lang])


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Jens sagt:"), ("fr", "Marie dit :"), ("es", "El alcalde dice:"),
])
def test_a_quote_introduction_inside_the_story_stays(rules, lang, text):
    result = run(page(lang, middle=[text]), rules)
    assert text in result.body
