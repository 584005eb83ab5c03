"""The registry of standard elements: the CDO's recommended standards for common data elements.

>>> [element.id for element in all_elements()][:4]
['ct_town', 'ct_town_fips', 'ct_town_fips_2022', 'ct_town_number']
>>> get_element("ct_town").normalize("So. Windsor").normalized
'South Windsor'
"""

from __future__ import annotations

from functools import cache

from steward.errors import NotFound
from steward.standards import address, contact, dates, geography, language, race
from steward.standards.element import Companion, Element, PermittedValue, code_of, normalized_of
from steward.standards.outcome import Outcome
from steward.standards.profile import default_profile

PROFILE = "state profile `steward/profiles/ct/` (see its SOURCES.md)"
CTNAMECLEANER = "CTData Collaborative ctnamecleaner (1,036 known spellings), MIT"
TOWNS = "CT towns with 2020 and 2022 GEOIDs: CTData ct-town-to-planning-region, Census TIGER"
ZCTA = "ZIP -> town: CTData ct-zip-to-town 2020 ZCTA crosswalk, MIT"
ZIPCODES = "US ZIP codes and USPS city names: the zipcodes package (MIT; USPS, GeoNames)"


def _companions(*pairs: tuple[str, str, object]) -> tuple[Companion, ...]:
    return tuple(Companion(suffix, label, get) for suffix, label, get in pairs)  # type: ignore[arg-type]


def _town_values() -> list[PermittedValue]:
    return [
        PermittedValue(town.geoid, town.name, f"town {town.number}; 2022 GEOID {town.geoid_alt}")
        for town in default_profile().towns
    ]


def _town_codes(alt: bool) -> list[PermittedValue]:
    return [
        PermittedValue(town.geoid_alt if alt else town.geoid, town.name)
        for town in default_profile().towns
    ]


def _areas(level: str) -> list[PermittedValue]:
    matcher = geography.county_matcher() if level == "county" else geography.region_matcher()
    return [PermittedValue(area.geoid, matcher.label(area)) for area in matcher.areas]


def _geography() -> list[Element]:
    town_pair = (
        ("_town", "town", geography.town_name_of_code),
        ("_town_fips", "town GEOID", code_of),
    )
    return [
        Element(
            id="ct_town",
            name="Connecticut town",
            definition="One of the state's 169 towns by name. Villages, boroughs, old names, "
            "abbreviations and USPS city names resolve to their town; places in other states "
            "are flagged, never forced onto a town.",
            kind="code list",
            standard="Town names as in the 2020 Census county subdivisions",
            normalize_text=geography.normalize_town,
            code_meaning="2020 county-based GEOID (10 digits)",
            values=_town_values,
            companions=_companions(
                ("_town", "town", normalized_of), ("_town_fips", "town GEOID", code_of)
            ),
            name_hints=("town", "city", "municipality", "municipal"),
            provenance=(PROFILE, TOWNS, CTNAMECLEANER, ZCTA, ZIPCODES),
        ),
        Element(
            id="ct_town_fips",
            name="Connecticut town GEOID (2020)",
            definition="A town's 10-digit county-based GEOID (state 09, county, county "
            "subdivision), as used through the 2020 Census. 2022 GEOIDs, 5-digit county "
            "subdivision codes and codes that lost their leading zero are converted.",
            kind="code list",
            standard="Census 2020 county subdivision GEOID",
            normalize_text=geography.normalize_town_fips,
            pattern=r"^09\d{8}$",
            code_meaning="the same GEOID",
            values=lambda: _town_codes(False),
            companions=_companions(*town_pair),
            name_hints=("fips", "geoid"),
            provenance=(PROFILE, TOWNS),
        ),
        Element(
            id="ct_town_fips_2022",
            name="Connecticut town GEOID (2022, planning regions)",
            definition="A town's 10-digit GEOID under the planning regions that replaced "
            "Connecticut's counties as county-equivalents in 2022. 2020 GEOIDs are converted.",
            kind="code list",
            standard="Census 2022 county subdivision GEOID (planning-region based)",
            normalize_text=lambda value: geography.normalize_town_fips(value, alt=True),
            pattern=r"^091[1-9]0\d{5}$",
            code_meaning="the same GEOID",
            values=lambda: _town_codes(True),
            companions=_companions(*town_pair),
            name_hints=("fips2022", "geoid2022"),
            provenance=(PROFILE, TOWNS),
        ),
        Element(
            id="ct_town_number",
            name="Connecticut town number",
            definition="The state's own town code, 1 to 169 (mostly alphabetical).",
            kind="code list",
            standard="State of Connecticut town codes",
            normalize_text=geography.normalize_town_number,
            pattern=r"^(1[0-6]\d|[1-9]\d?)$",
            code_meaning="the town's 2020 county-based GEOID",
            values=lambda: [
                PermittedValue(str(town.number), town.name) for town in default_profile().towns
            ],
            companions=_companions(*town_pair),
            name_hints=("townnumber", "towncode", "townno"),
            detect_by_values=False,
            provenance=(PROFILE, TOWNS),
        ),
        Element(
            id="ct_county",
            name="Connecticut county",
            definition="One of the 8 historical counties (no county government since 1960; "
            "still used by the Census through 2020 and by many data systems).",
            kind="code list",
            standard="Census county GEOID (5 digits)",
            normalize_text=geography.normalize_county,
            code_meaning="county GEOID",
            values=lambda: _areas("county"),
            companions=_companions(
                ("_county", "county", normalized_of), ("_county_fips", "county GEOID", code_of)
            ),
            name_hints=("county",),
            provenance=(PROFILE, TOWNS, ZIPCODES),
        ),
        Element(
            id="ct_planning_region",
            name="Connecticut planning region",
            definition="One of the 9 planning regions (councils of governments), the state's "
            "county-equivalents for the Census since 2022.",
            kind="code list",
            standard="Census 2022 county-equivalent GEOID",
            normalize_text=geography.normalize_region,
            code_meaning="planning region GEOID",
            values=lambda: _areas("region"),
            companions=_companions(
                ("_region", "planning region", normalized_of),
                ("_region_fips", "region GEOID", code_of),
            ),
            name_hints=("region", "cog"),
            provenance=(PROFILE, TOWNS),
        ),
        Element(
            id="us_zip5",
            name="US ZIP code",
            definition="A 5-digit USPS ZIP code that exists. ZIP+4 is cut to 5 digits; a "
            "4-digit value (a number that lost its leading zero) is padded.",
            kind="pattern",
            standard="USPS ZIP code",
            normalize_text=geography.normalize_zip,
            pattern=r"^\d{5}$",
            code_meaning="the ZIP code",
            companions=_companions(
                ("_zip5", "ZIP code", normalized_of),
                ("_zip5_town_fips", "town GEOID", geography.zip_town_of),
            ),
            name_hints=("zip", "zipcode", "postal", "postcode"),
            provenance=(ZIPCODES, ZCTA),
        ),
    ]


def _people() -> list[Element]:
    return [
        Element(
            id="us_address",
            name="US street address",
            definition="A street or PO box address in USPS Publication 28 form on one line: "
            "`LINE 1 [UNIT], CITY, ST ZIP`. The town is found from the ZIP code or the city.",
            kind="pattern",
            standard="USPS Publication 28",
            normalize_text=address.normalize_address,
            code_meaning="2020 GEOID of the town the address is in",
            companions=_companions(
                ("_address", "address", normalized_of),
                ("_address_town_fips", "town GEOID", code_of),
            ),
            name_hints=("address", "street", "addr"),
            detect_by_values=False,
            provenance=("usaddress and usaddress-scourgify (MIT)", ZCTA),
        ),
        Element(
            id="race_ethnicity_spd15",
            name="Race and ethnicity (SPD 15, 2024)",
            definition="OMB Statistical Policy Directive 15 (2024): one combined question, seven "
            "minimum categories including Middle Eastern or North African. Several answers are "
            "kept (`HISP;WHITE`); a source group combining categories is an aggregate "
            "(`ASIAN|NHPI`). MULTI, OTHER and UNK are supplementary codes for source values "
            "that name no category.",
            kind="code list",
            standard="OMB SPD 15 (2024)",
            normalize_text=race.parse_spd15,
            code_meaning="category codes; `;` joins several answers, `|` an aggregate",
            values=race.spd15_values,
            companions=_companions(
                ("_spd15", "race/ethnicity (SPD 15)", normalized_of),
                ("_spd15_code", "SPD 15 code", code_of),
            ),
            name_hints=("race", "ethnicity", "raceethnicity"),
            provenance=("OMB SPD 15 (2024); Steward's curated synonym table",),
            notes=tuple(f"{source} -> {target}" for source, target in race.BRIDGE),
        ),
        Element(
            id="race_1997",
            name="Race (1997 standard)",
            definition="The 1997 OMB race categories (five races, several may be selected); "
            "Hispanic origin is a separate question (`ethnicity_1997`). Bridged from SPD 15: "
            "MENA counts as White, Hispanic alone leaves race unknown.",
            kind="code list",
            standard="OMB 1997 Revisions to the Standards for race and ethnicity",
            normalize_text=race.parse_race_1997,
            code_meaning="race codes; `;` joins several",
            values=race.race_1997_values,
            companions=_companions(
                ("_race1997", "race (1997)", normalized_of),
                ("_race1997_code", "1997 race code", code_of),
            ),
            name_hints=("race",),
            detect_by_values=False,
            provenance=("OMB 1997 standard; Steward's curated synonym table",),
        ),
        Element(
            id="ethnicity_1997",
            name="Ethnicity (1997 standard)",
            definition="Hispanic or Latino, or not (the 1997 separate ethnicity question).",
            kind="code list",
            standard="OMB 1997 Revisions to the Standards for race and ethnicity",
            normalize_text=race.parse_ethnicity_1997,
            code_meaning="HISP, NHISP or UNK",
            values=race.ethnicity_1997_values,
            companions=_companions(
                ("_ethnicity1997", "ethnicity (1997)", normalized_of),
                ("_ethnicity1997_code", "1997 ethnicity code", code_of),
            ),
            name_hints=("ethnicity", "hispanic", "latino"),
            detect_by_values=False,
            provenance=("OMB 1997 standard",),
        ),
        Element(
            id="language_iso639_3",
            name="Language (ISO 639-3)",
            definition='A language as its ISO 639-3 code, from a name ("Haitian Creole") or '
            "an ISO 639-1/639-3 or BCP 47 code. `und` is undetermined, `mul` several.",
            kind="code list",
            standard="ISO 639-3",
            normalize_text=language.normalize_language,
            code_meaning="ISO 639-3 code",
            companions=_companions(
                ("_language", "language", language.language_name),
                ("_iso639_3", "ISO 639-3 code", code_of),
            ),
            name_hints=("language", "lang", "languages"),
            detect_by_values=False,
            provenance=("langcodes and language-data (MIT; CLDR, IANA, SIL)",),
        ),
        Element(
            id="sex",
            name="Sex",
            definition="F, M, X (another sex or gender, as on a Connecticut licence) or U "
            "(unknown or not reported).",
            kind="code list",
            standard="Steward code list (maps to HL7 administrative gender)",
            normalize_text=contact.normalize_sex,
            code_meaning="F, M, X or U",
            values=contact.sex_values,
            companions=_companions(
                ("_sex", "sex code", code_of),
            ),
            name_hints=("sex", "gender"),
            provenance=("Steward",),
        ),
    ]


def _formats() -> list[Element]:
    return [
        Element(
            id="date_iso8601",
            name="Date (ISO 8601)",
            definition="A date `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`), or a date and time "
            "`YYYY-MM-DDThh:mm:ss`. US month-first forms and month names are read; two-digit "
            "years and day-first dates go to review.",
            kind="pattern",
            standard="ISO 8601",
            normalize_text=dates.normalize_date,
            pattern=r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?)?)?)?$",
            code_meaning="the ISO 8601 form",
            companions=_companions(
                ("_iso8601", "date (ISO 8601)", normalized_of),
            ),
            name_hints=("date", "day", "dob", "updated", "time", "year"),
            provenance=("ISO 8601",),
        ),
        Element(
            id="email",
            name="Email address",
            definition="An address `name@domain`; the domain is written in lower case.",
            kind="pattern",
            standard="RFC 5321 / 5322 (common subset)",
            normalize_text=contact.normalize_email,
            pattern=contact.EMAIL_PATTERN,
            code_meaning="the address in lower case, for matching",
            companions=_companions(
                ("_email", "email", normalized_of),
            ),
            name_hints=("email", "mail"),
            provenance=("Steward",),
        ),
        Element(
            id="phone_us",
            name="US telephone number",
            definition="A North American Numbering Plan number, written `(860) 555-0123` with an "
            "optional ` x12` extension.",
            kind="pattern",
            standard="NANP; E.164 as the code",
            normalize_text=contact.normalize_phone,
            pattern=contact.PHONE_PATTERN,
            code_meaning="E.164 (`+18605550123`), with `;ext=` for an extension",
            companions=_companions(
                ("_phone", "telephone", normalized_of), ("_e164", "telephone (E.164)", code_of)
            ),
            name_hints=("phone", "telephone", "tel", "fax", "mobile"),
            provenance=("Steward",),
        ),
    ]


@cache
def _registry() -> dict[str, Element]:
    return {element.id: element for element in [*_geography(), *_people(), *_formats()]}


def is_element(element_id: str) -> bool:
    return element_id in _registry()


def all_elements() -> list[Element]:
    return list(_registry().values())


def get_element(element_id: str) -> Element:
    element = _registry().get(element_id)
    if element is None:
        known = ", ".join(_registry())
        raise NotFound(f"no standard element {element_id!r}; known: {known}")
    return element


def status_of(outcome: Outcome) -> str | None:
    """The status stored in a companion status column; None for a blank value."""
    return None if outcome.status == "invalid" and outcome.reason == "blank" else outcome.status
