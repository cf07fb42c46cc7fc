"""What a question asks for, where that matters for answerability (Dutch and English).

Each intent names a kind of answer the syntheses rarely or never hold: contact details,
opening hours, amounts, dates or figures, clinical or legal advice, news, creative or
off-task requests, and requests about the system itself. The gate weighs these flags with
retrieval signals; a flag alone does not refuse (the corpus does state some amounts).
"""

from __future__ import annotations

import re

INTENTS: dict[str, re.Pattern[str]] = {
    "contact": re.compile(
        r"\b(telefoon\w*|tel\.?\s?nr|e-?mail\w*|mailadres|(?:post|bezoek)?adres(?:sen)?\b|bereikbaar|contactgegevens|"
        r"contactpersoon|bellen|phone|telephone|e-?mail address|contact details|address of|reach (?:them|him|her)|"
        r"website van|url van|website of|ring)\b",
        re.I,
    ),
    "opening_hours": re.compile(
        r"\b(openingstijden|geopend|opening hours|open on|spreekuur|spreekuren|office hours|helpdesk|"
        r"hoe laat|what time|closing time|sluitingstijd|when is .{0,40}\bopen|wanneer (?:is|zijn) .{0,40}\bopen)\b",
        re.I,
    ),
    "amount": re.compile(
        r"\b(hoeveel\s+(?:\w+\s+){0,3}(?:kost|kosten|geld|euro|budget|subsidie|bedraagt|betaal\w*|krijg\w*)|"
        r"wat kost|kosten per|\w*tarie(?:f|ven)|prijs|bedrag|euro|how much|what (?:does|do|did) .{0,40}cost|"
        r"price|tariff|rate for|per hour|per uur|fee for|salary|salaris|loon|(?:total|totale?)\b.{0,20}\bbudget)\b",
        re.I,
    ),
    "date_figure": re.compile(
        r"\b(wanneer precies|op welke datum|deadline|uiterste datum|in welk jaar|hoeveel|percentage|statistiek\w*|"
        r"aantal|absolute (?:numbers|aantallen)|inflati\w+|levensverwachting|life expectancy|when exactly|"
        r"what date|which year|how many|what percentage|statistics)\b",
        re.I,
    ),
    "clinical": re.compile(
        r"\b(dosering|dosis|medicijn\w*|medicatie|\w*middel(?:en)?\b(?<!hulpmiddel)|pil(?:len)?|behandel (?:ik|je)|"
        r"symptomen|bijwerking\w*|mg|milligram|voorschrijven|koorts|bloeddruk\w*|bloedverdunner\w*|streefwaarde|"
        r"dosage|dose|medication|medicine|pills?|how (?:do|should) (?:i|we) treat|symptoms|side effects|prescribe|"
        r"fever|blood (?:pressure|thinners?)|antidepressant\w*|ibuprofen|paracetamol|insulin\w*|insuline|hba1c|"
        r"exercise programme|(?:mijn|my) (?:moeder|vader|kind|kid|son|daughter|zoon|dochter))\b",
        re.I,
    ),
    "legal_tax": re.compile(
        r"\b(belasting\w*|fiscaal|fiscale|btw|aansprakelijk\w*|rechtszaak|juridisch advies|advocaat|ontslag|"
        r"arbeidsrecht|(?:mijn|onze) rechten|afdwingbaar|concurrentiebeding|verhuurder|tax\w*|vat|liab\w+|lawsuit|"
        r"sue|legal advice|lawyer|attorney|employment law|my rights|enforceable|non-compete|landlord|"
        r"in ons geval|in our case)\b",
        re.I,
    ),
    "current_events": re.compile(
        r"\b(nieuws|vandaag|gisteren|deze (?:week|maand)|dit jaar|op dit moment|actueel|verkiezing\w*|uitslag\w*|"
        r"huidige|kabinet|staking|congres|news|today|yesterday|this (?:week|month|year)|right now|latest|"
        r"election\w*|current|who won(?!')|strike|conference|recent(?:ly)? announced|202[5-9])\b",
        re.I,
    ),
    "creative": re.compile(
        r"\b(\w*gedicht|rijm|grap|mop|verhaal(?:tje)?|liedje|lied|songtekst|toneel\w*|dialoog|fictie\w*|"
        r"liefdesbrief|poem|rhyme|joke|story|song|lyrics|haiku|limerick|fictional|dialogue|love letter|sketch|"
        r"schrijf een (?:brief|tekst|gedicht|verhaal)|write (?:a|me a) (?:poem|story|song|joke|letter))\b",
        re.I,
    ),
    "off_task": re.compile(
        r"\b(recept|koken|stamppot|voetbal|weerbericht|vakantie|reis naar|wandel\w*|fiets\w*|programmeer\w*|python|"
        r"javascript|sql|excel|formule|powerpoint|sjabloon|vertaal|recipe|cook\w*|football|soccer|weather|holiday|"
        r"vacation|travel to|hiking|bike|tyre|programming|write code|query|spreadsheet|formula|template|slides?|"
        r"translate|stocks?|aandelen|bitcoin|tour de france|eredivisie|harry potter|plot of)\b",
        re.I,
    ),
    "meta": re.compile(
        r"\b(system ?prompt|systeemprompt|instructies|instructions|negeer|ignore|vergeet (?:alle|je)|forget|"
        r"jailbreak|act as|doe alsof|pretend|je regels|your rules|developer mode|prompt|taalmodel|language model|"
        r"getraind|trained|beheerder|administrator|admin|repeat the text|herhaal de tekst|you are|zonder citaten|"
        r"without citations|bronvermelding uit)\b",
        re.I,
    ),
}


def detect_intents(question: str) -> set[str]:
    return {name for name, pattern in INTENTS.items() if pattern.search(question)}


# What the passages must contain for such an intent to be answerable.
EVIDENCE: dict[str, re.Pattern[str]] = {
    "contact": re.compile(r"\b0\d{1,3}[- ]?\d{6,8}\b|\+31|@\w+\.\w+|\bwww\.\w+", re.I),
    "opening_hours": re.compile(
        r"\b\d{1,2}[.:]\d{2}\s*(?:uur|u)\b|\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag)\b", re.I
    ),
    "amount": re.compile(r"€\s?\d|\d[\d.,]*\s*(?:euro|miljoen|miljard|mln|mld)\b", re.I),
    "date_figure": re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|procent)|\b(?:19|20)\d\d\b", re.I),
}
