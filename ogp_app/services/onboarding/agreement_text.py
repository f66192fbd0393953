"""The verwerkersovereenkomst (processor agreement) between a school and the supplier of this installation.

It follows the structure of the Model Verwerkersovereenkomst of the Privacyconvenant Onderwijs (the
agreement, a privacybijsluiter and a beveiligingsbijlage), in our own words, and says only what this code
does: the data in the privacy registry (``services/privacy/domains``), the retention jobs, what goes to
Stripe, the security measures of ``services/auth/passwords``, ``sessions``, ``crypto``, ``two_factor`` and
``api/security_headers``. Dutch is the binding text. Change the text, change AGREEMENT_VERSION: schools
accept each version anew (``policies.AGREEMENT_VERSION``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogp_app.core.settings import Settings
from ogp_app.models import School
from ogp_app.models.tenancy import BOOKING_RETENTION_CHOICES
from ogp_app.services.onboarding.policies import AGREEMENT_VERSION
from ogp_app.services.privacy.erasure import GRACE
from ogp_app.services.privacy.retention import SENT_MAIL_KEPT

NOT_FILLED = "(nog niet ingevuld door de beheerder van deze installatie)"


@dataclass(frozen=True)
class Part:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table_headers: tuple[str, ...] = ()
    table_rows: list[tuple[str, ...]] = field(default_factory=list)
    level: int = 2  # 1: a document of its own (the agreement, each annex), 2: an article


def _school_lines(school: School) -> str:
    place = " ".join(p for p in (school.postal_code, school.city) if p)
    parts = [school.name, school.street_address or "", place]
    if school.brin_code:
        parts.append(f"BRIN {school.brin_code}")
    if school.kvk_number:
        parts.append(f"KvK {school.kvk_number}")
    return ", ".join(p for p in parts if p)


def _supplier_lines(settings: Settings) -> str:
    s = settings
    place = f"{s.billing_supplier_postal_code} {s.billing_supplier_city}".strip()
    return ", ".join(
        p
        for p in (s.billing_supplier_name, s.billing_supplier_address, place, f"KvK {s.billing_supplier_kvk}")
        if p
    )


def _agreement(school: School, settings: Settings, signer: str) -> list[Part]:
    supplier = settings.billing_supplier_name
    return [
        Part(
            "Verwerkersovereenkomst",
            [
                f"Versie {AGREEMENT_VERSION}. Deze overeenkomst volgt de opbouw van de Model "
                "Verwerkersovereenkomst van het Privacyconvenant Onderwijs: de overeenkomst zelf, een "
                "privacybijsluiter (bijlage 1) en een beveiligingsbijlage (bijlage 2).",
                f"Partijen: 1. {_school_lines(school)}, hierna 'de school', vertegenwoordigd door {signer}; "
                f"2. {_supplier_lines(settings)}, hierna 'de leverancier'.",
                "De school gebruikt de Oudergesprekplanner om gesprekken tussen ouders en leerkrachten te "
                "plannen. Daarbij verwerkt de leverancier persoonsgegevens in opdracht van de school. Deze "
                "overeenkomst legt vast wat de leverancier daarmee mag en moet.",
            ],
            level=1,
        ),
        Part(
            "Artikel 1. Begrippen",
            [
                "Begrippen als persoonsgegevens, verwerken, betrokkene, verwerkingsverantwoordelijke, "
                "verwerker, subverwerker en inbreuk in verband met persoonsgegevens (datalek) hebben de "
                "betekenis die de Algemene verordening gegevensbescherming (AVG) eraan geeft. 'De dienst' is "
                "de Oudergesprekplanner zoals de leverancier die voor de school beschikbaar stelt."
            ],
        ),
        Part(
            "Artikel 2. Rollen",
            [
                "De school is verwerkingsverantwoordelijke: zij bepaalt waarom en waarvoor persoonsgegevens "
                "worden verwerkt. De leverancier is verwerker en verwerkt de persoonsgegevens alleen op "
                "schriftelijke instructie van de school, zoals vastgelegd in deze overeenkomst en de "
                "privacybijsluiter, tenzij een wettelijke plicht hem iets anders oplegt; dan meldt hij dat "
                "de school vooraf, tenzij de wet dat verbiedt.",
            ],
        ),
        Part(
            "Artikel 3. Wat de leverancier verwerkt en waarvoor",
            [
                "De leverancier verwerkt de persoonsgegevens in bijlage 1 alleen voor de doelen die daar "
                "staan. Hij gebruikt ze niet voor eigen doelen: geen reclame, geen profielen, geen verkoop "
                "en geen doorgifte aan derden buiten de subverwerkers in bijlage 1. De dienst laadt in de "
                "browser niets van andere partijen (geen advertentienetwerken, trackers, "
                "analysediensten of externe lettertypen).",
            ],
        ),
        Part(
            "Artikel 4. Subverwerkers",
            [
                "De leverancier schakelt alleen de subverwerkers in die bijlage 1 noemt. Wil hij een "
                "subverwerker toevoegen of vervangen, dan meldt hij dat de school vooraf; de school kan "
                "binnen vier weken bezwaar maken en in dat geval de overeenkomst beëindigen. De leverancier "
                "legt iedere subverwerker ten minste dezelfde plichten op als in deze overeenkomst staan.",
            ],
        ),
        Part(
            "Artikel 5. Beveiliging",
            [
                "De leverancier neemt de technische en organisatorische maatregelen van bijlage 2 en houdt "
                "ze op een passend niveau. Wijzigt hij ze, dan nooit zo dat de beveiliging minder wordt. De "
                "school mag de naleving laten controleren door een onafhankelijke deskundige, op eigen "
                "kosten, na redelijke aankondiging.",
            ],
        ),
        Part(
            "Artikel 6. Datalekken",
            [
                "Ontdekt de leverancier een datalek dat gegevens van de school raakt, dan meldt hij dat de "
                "school zonder onnodige vertraging, en zo mogelijk binnen 24 uur, met wat bekend is: wat er "
                "gebeurde, welke gegevens en betrokkenen het raakt, de waarschijnlijke gevolgen en de "
                "genomen en voorgestelde maatregelen. De school beslist over een melding aan de Autoriteit "
                "Persoonsgegevens en aan betrokkenen; de leverancier helpt daarbij.",
            ],
        ),
        Part(
            "Artikel 7. Geheimhouding",
            [
                "Iedereen die namens de leverancier toegang heeft tot gegevens van de school, is tot "
                "geheimhouding verplicht. Medewerkers van de leverancier openen gegevens van de school "
                "alleen "
                "als dat nodig is (bijvoorbeeld bij een hulpvraag van de school) en geven daarbij een reden "
                "op; elke inzage wordt vooraf vastgelegd en de school ziet die in haar toegangslogboek "
                "(/school/access-log).",
            ],
        ),
        Part(
            "Artikel 8. Rechten van betrokkenen",
            [
                "Ouders, leerkrachten en andere gebruikers zien hun eigen gegevens in het privacycentrum "
                "(/privacy/me), downloaden ze daar en kunnen er hun account verwijderen. Verzoeken die de "
                "leverancier rechtstreeks bereiken, stuurt hij door naar de school. De leverancier helpt de "
                "school bij verzoeken die zij niet zelf in de dienst kan afhandelen.",
            ],
        ),
        Part(
            "Artikel 9. Doorgifte buiten de EER",
            [
                "De leverancier geeft geen persoonsgegevens door naar landen buiten de Europese "
                "Economische Ruimte, behalve via een subverwerker uit bijlage 1 en alleen met de waarborgen "
                "die de AVG daarvoor eist.",
            ],
        ),
        Part(
            "Artikel 10. Duur, einde en teruggave",
            [
                "Deze overeenkomst geldt zolang de leverancier gegevens van de school verwerkt. De school "
                "kan "
                "op elk moment al haar gegevens exporteren (privacycentrum, export van de school). "
                "Verwijdert "
                f"de school haar omgeving, dan wordt die meteen bevroren en worden na {GRACE.days} dagen "
                "alle gegevens van de school gewist, ook de accounts die alleen bij deze school horen; tot "
                "dan kan de school het verwijderen ongedaan maken.",
            ],
        ),
        Part(
            "Artikel 11. Aansprakelijkheid en recht",
            [
                "Voor aansprakelijkheid geldt wat partijen in hun overeenkomst over de dienst afspraken, "
                "met inachtneming van de AVG. Op deze overeenkomst is Nederlands recht van toepassing. De "
                f"school aanvaardt deze versie digitaal in de dienst; {supplier} legt daarbij versie en "
                "tijdstip vast.",
            ],
        ),
    ]


def _bijsluiter(settings: Settings) -> list[Part]:
    months = ", ".join(str(m) for m in BOOKING_RETENTION_CHOICES)
    mail_days = SENT_MAIL_KEPT.days
    data: list[tuple[str, ...]] = [
        (
            "Leerlingen",
            "leerlingnummer, roepnaam, tussenvoegsel, achternaam, groep of klas; de koppeling tussen broers "
            "en zussen; of gescheiden ouders samen of apart een gesprek hebben",
            "Zolang de leerling op het rooster van de school staat; de school archiveert of verwijdert.",
        ),
        (
            "Ouders en verzorgers",
            "naam, e-mailadres, huishouden (welke ouders samen boeken), gekozen taal; een adres uit het "
            "importbestand wordt alleen gebruikt om huishoudens te bepalen en niet bewaard",
            "Zolang de ouder een actief kind op het rooster heeft; de school archiveert of verwijdert.",
        ),
        (
            "Leerkrachten",
            "naam, e-mailadres, lokaal, vak, klassen",
            "Zolang de leerkracht op het rooster staat.",
        ),
        (
            "Gesprekken",
            "tijd, leerling, leerkracht, huishouden, wie boekte of afzegde, de opmerking van de ouder voor "
            "de leerkracht",
            f"Tot de termijn die de school kiest na de laatste dag van de ronde: {months} maanden "
            "(standaard 12). Daarna worden afspraken en opmerkingen verwijderd.",
        ),
        (
            "Accounts",
            "naam, e-mailadres, taal, rollen bij de school; wachtwoord en herstelcodes alleen als hash; het "
            "geheim van de tweestapsverificatie versleuteld; inlogsessies; logboek van inloggen, "
            "tweestapsverificatie en rolwijzigingen",
            "Tot de gebruiker het account verwijdert of de school wordt gewist; sessies verlopen na "
            f"{settings.session_idle_hours} uur zonder gebruik en uiterlijk na "
            f"{settings.session_absolute_days} "
            "dagen; het logboek bewaart na verwijdering alleen een pseudoniem.",
        ),
        (
            "E-mail",
            "uitnodigingen, bevestigingen met agendabestand, herinneringen en berichten van de school",
            f"Verzonden berichten {mail_days} dagen; links in verzonden berichten worden eerder gewist.",
        ),
        (
            "Factuurgegevens van de school",
            "naam, adres, factuur-e-mailadres, KvK- en btw-nummer; facturen",
            "Zolang de wet (fiscale bewaarplicht) dat vraagt.",
        ),
        (
            "Beveiliging en statistiek",
            "pogingen om in te loggen of links aan te vragen, als gesleutelde hash van e-mailadres of "
            "netwerkadres (geen leesbaar IP-adres); bezoekaantallen per pagina en dag zonder cookie, "
            "IP-adres of account",
            "Pogingen ten hoogste 1 uur; bezoekaantallen 12 maanden, unieke bezoekers alleen die dag.",
        ),
    ]
    stripe = (
        "Stripe Payments Europe, Ltd. (Ierland): betalingen en facturen van het abonnement; ontvangt alleen "
        "de factuurgegevens van de school (naam, factuur-e-mailadres, adres, btw-nummer), nooit gegevens "
        "van leerlingen, ouders of leerkrachten."
        if settings.stripe_enabled
        else "Geen betaaldienst: deze installatie factureert zelf; er gaan geen gegevens naar Stripe."
    )
    return [
        Part(
            "Bijlage 1. Privacybijsluiter",
            [
                "Dienst: Oudergesprekplanner, een webapplicatie waarin de school gespreksrondes plant, "
                "ouders "
                "per kind een tijd kiezen en leerkrachten hun gesprekken zien.",
                "Doelen: (1) het plannen en houden van gesprekken tussen ouders en leerkrachten; (2) ouders "
                "en "
                "leerkrachten uitnodigen en per e-mail informeren over hun afspraken; (3) het beveiligen van "
                "de dienst en voorkomen van misbruik; (4) het factureren van het abonnement aan de school. "
                "De "
                "dienst verwerkt geen bijzondere persoonsgegevens en geen BSN; het vrije opmerkingenveld is "
                "bedoeld voor het gespreksonderwerp.",
            ],
            level=1,
        ),
        Part(
            "Persoonsgegevens en bewaartermijnen",
            table_headers=("Betrokkenen", "Gegevens", "Bewaartermijn"),
            table_rows=data,
        ),
        Part(
            "Subverwerkers en locatie",
            [
                f"Hosting en opslag: {settings.agreement_hosting or NOT_FILLED}.",
                f"Verzenden van e-mail: {settings.agreement_mail_provider or NOT_FILLED}.",
                stripe,
            ],
        ),
    ]


def _beveiliging(settings: Settings) -> list[Part]:
    hsts = (
        "De dienst draait over HTTPS en vraagt browsers dat te blijven doen (HSTS)."
        if settings.cookie_secure
        else "Deze installatie is (nog) niet over HTTPS ingesteld; de beheerder moet dat doen voor gebruik "
        "met echte gegevens."
    )
    return [
        Part(
            "Bijlage 2. Beveiligingsbijlage",
            ["De maatregelen hieronder zitten in de software zelf en gelden voor iedere installatie."],
            level=1,
        ),
        Part(
            "Toegang en inloggen",
            [
                "Wachtwoorden worden opgeslagen met argon2id (19 MiB geheugen, 2 rondes), zijn minstens 12 "
                "tekens en mogen niet op de meegeleverde lijst van veelgebruikte wachtwoorden staan.",
                "Tweestapsverificatie (TOTP, QR-code lokaal getekend) is verplicht voor schoolbeheerders en "
                "medewerkers van de leverancier; herstelcodes worden alleen als hash bewaard.",
                "Een sessie is een willekeurige sleutel van 256 bits in een HttpOnly-cookie met "
                "SameSite=Lax; "
                "de dienst bewaart alleen de SHA-256-hash ervan. Bij het inloggen krijgt de gebruiker een "
                "nieuwe sessie. " + hsts,
                "Links in e-mails zijn eenmalig, worden alleen als hash bewaard en werken pas na een klik "
                "op een knop (zodat virusscanners van mailservers ze niet opgebruiken).",
                "Inloggen, links aanvragen en codes invoeren zijn begrensd per account en per adres.",
            ],
        ),
        Part(
            "Scheiding en rechten",
            [
                "Elke school ziet alleen haar eigen gegevens: een databasevraag naar schoolgegevens zonder "
                "vastgestelde school wordt geweigerd in plaats van uitgevoerd. Identiteit, school en rol "
                "komen altijd van de server, nooit uit de browser.",
                "Leerkrachten zien alleen leerlingen en ouders van hun eigen klassen; ouders alleen hun "
                "eigen "
                "kinderen en afspraken.",
                "Inloggen, tweestapsverificatie en rolwijzigingen worden gelogd; elke inzage door een "
                "medewerker van de leverancier wordt vooraf met reden vastgelegd en is zichtbaar voor de "
                "school.",
            ],
        ),
        Part(
            "Opslag en browser",
            [
                "Geheimen (zoals het geheim van de tweestapsverificatie) worden versleuteld opgeslagen "
                "(Fernet, met per soort een eigen sleutel afgeleid met HKDF-SHA256).",
                "Geüploade roosterbestanden blijven alleen in het werkgeheugen (ten hoogste 30 minuten) en "
                "worden nooit op schijf gezet.",
                "Elke pagina krijgt beveiligingsheaders: een Content-Security-Policy die alleen eigen "
                "scripts toestaat, geen inbedding in andere sites (frame-ancestors 'none'), nosniff, een "
                "beperkte Referrer-Policy en Permissions-Policy.",
                "Exports als CSV zijn beschermd tegen formule-injectie in spreadsheets.",
            ],
        ),
        Part(
            "Wat de beheerder van de installatie regelt",
            [
                "Het besturingssysteem, de database, back-ups, versleuteling van schijven en "
                "TLS-certificaten "
                "zitten niet in de software: ze vallen onder de hosting in bijlage 1 en zijn de "
                "verantwoordelijkheid van de leverancier als beheerder van deze installatie.",
            ],
        ),
    ]


def agreement_parts(school: School, settings: Settings, *, signer: str) -> list[Part]:
    """The whole agreement for ``school``: the articles, the privacybijsluiter and the beveiligingsbijlage."""
    return [*_agreement(school, settings, signer), *_bijsluiter(settings), *_beveiliging(settings)]
