"""The public files the store is built from: what each is, its period and licence."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Source

OGL = "Open Government Licence v3.0"
OPL = "Open Parliament Licence v3.0"
# The attribution Code-Point Open's licence requires, word for word (data/SOURCES.md, 8).
CODEPOINT_ATTRIBUTION = (
    "Contains OS data (c) Crown copyright and database right 2023; Contains Royal Mail data "
    "(c) Royal Mail copyright and database right 2023; Source: Office for National Statistics "
    "licensed under the Open Government Licence v3.0."
)
PORTRAIT_CREDIT = "(c) UK Parliament, CC BY 3.0"
ONS_ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right; Royal Mail data © Royal Mail "
    "copyright and database right; National Statistics data © Crown copyright"
)

SOURCES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "mps",
            # the file is DfE's weekly copy of Parliament's data; the publisher is Parliament
            "MPs by Westminster constituency (Members API)",
            "UK Parliament",
            "June 2026",
            f"{OPL}; ONS geography {OGL}",
            "https://github.com/dfe-analytical-services/mp-lookup",
            "mp_lookup_dfe.csv",
        ),
        Source(
            "mp_gender",
            "Current MPs with gender and start date by member id (Open Innovations, from the "
            "Members API and TheyWorkForYou)",
            "Open Innovations; UK Parliament; mySociety",
            "April 2026",
            OPL,
            "https://github.com/open-innovations/constituencies",
            "current-MPs_open-innovations.csv",
        ),
        Source(
            "ge2024",
            "General election 2024: candidate-level results",
            "UK Parliament",
            "4 July 2024",
            OPL,
            "https://electionresults.parliament.uk/",
            "candidate-level-results-general-election-04-07-2024.csv",
        ),
        Source(
            "sen2",
            "Education, health and care plans, reporting year 2025 (SEN2)",
            "Department for Education",
            "released 26 June 2025",
            OGL,
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "education-health-and-care-plans",
            "sen2_2025_caseload.csv, sen2_2025_requests.csv, sen2_2025_timeliness_20_week.csv",
        ),
        Source(
            "sen_census",
            "Special educational needs in England, January school census (via DfE LAIT)",
            "Department for Education",
            "January 2025",
            OGL,
            "https://explore-education-statistics.service.gov.uk/find-statistics/"
            "special-educational-needs-in-england",
            "lait_sen_indicators_by_la.csv",
        ),
        Source(
            "tribunal",
            "SEND Tribunal appeal rate by local authority, 2014 to 2024",
            "Ministry of Justice; Department for Education",
            "calendar year 2024",
            OGL,
            "https://www.gov.uk/government/collections/tribunals-statistics",
            "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv",
        ),
        Source(
            "dsg_deficit",
            "Dedicated Schools Grant cumulative deficit as a share of DSG income "
            "(S251 outturn, derived by DfE)",
            "Department for Education",
            "2021-22",
            OGL,
            "https://github.com/dfe-analytical-services/SEND-AP-Inclusion-Dashboard",
            "dsg_deficit_derived.csv",
        ),
        Source(
            "high_needs_block",
            "Dedicated schools grant: 2023 to 2024 provisional high needs block allocations "
            "(before deductions)",
            "Education and Skills Funding Agency",
            "2023-24 (published 20 July 2023)",
            OGL,
            "https://www.gov.uk/government/publications/dedicated-schools-grant-dsg-2023-to-2024",
            "dsg_2023-24_high_needs_block.csv",
        ),
        Source(
            "onspd",
            "ONS Postcode Directory (fixture postcodes bundled; import the full directory for all)",
            "Office for National Statistics",
            "2024 and 2025 editions",
            f"{OGL}. {ONS_ATTRIBUTION}",
            "https://geoportal.statistics.gov.uk/",
            "onspd_sample_postcodes.io_seed.csv, onspd_aug2024_fixture_democracyclub.csv, "
            "onspd_nov2025_fixture_democracyclub.csv",
        ),
        Source(
            "codepo",
            "Code-Point Open: every live postcode in Great Britain with its ward",
            "Ordnance Survey (via mySociety)",
            "2023 edition (May 2023 wards)",
            f"{OGL}. {CODEPOINT_ATTRIBUTION}",
            "https://www.ordnancesurvey.co.uk/products/code-point-open",
            "codepo_2023/",
        ),
        Source(
            "ward_map",
            "Wards (May 2023) to 2024 constituencies with postcode counts (12v/boundary-mapper, "
            "from ONSPD August 2023 and the boundary commissions' final recommendations)",
            "12v (boundary-mapper); ONS; Boundary Commissions",
            "June 2024",
            f"{OGL} (inputs); no licence file in the repository",
            "https://github.com/12v/boundary-mapper",
            "ward_to_constituencies_mapping_12v.csv",
        ),
        Source(
            "pcon2010",
            "Constituencies 2010-2024 and their overlap with the 2024 constituencies "
            "(population shares)",
            "Open Innovations; mySociety; ONS",
            "2010-2024 boundaries; overlap September 2025",
            f"{OGL} (ONS boundaries and population)",
            "https://github.com/open-innovations/constituencies",
            "constituencies-2010_open-innovations.csv, "
            "PARL10_PARL25_combo_overlap_open-innovations.csv, ukparl.2025_open-innovations.csv",
        ),
        Source(
            "lad_seats",
            "Local authority districts (2024) to 2024 constituencies",
            "Open Innovations; ONS",
            "March 2025",
            f"{OGL} (ONS geography)",
            "https://github.com/open-innovations/constituencies",
            "lookup-LAD24CD-PCON24CD_open-innovations.json",
        ),
        Source(
            "portraits",
            "MPs' official portraits (thumbnails), only where the seat's MP is the member shown",
            "UK Parliament (via Open Innovations)",
            "September 2025",
            f"Creative Commons Attribution 3.0: {PORTRAIT_CREDIT}",
            "https://members.parliament.uk/",
            "current-MPs-thumbnails_open-innovations.json",
        ),
    )
}

# What each measure is, said once, for lookups, letters, briefings, decks and the data
# update alike: its label and source, its unit, which way is worse for children, the counts
# behind a ratio. Nothing else reads a measure's unit or direction from its name.
@dataclass(frozen=True)
class MeasureInfo:
    """One measure's metadata.

    worse: "lower" / "higher": a value lower / higher than England's is worse; "rising": a
    measure of need or demand, where growth faster than England's shows pressure but a level
    different from England's is neither better nor worse; None: context, never called
    better or worse. base: the (numerator, denominator) measures behind a ratio; below
    SMALL_BASE in the denominator a percentage is printed as its counts ("4 of 5 new
    plans") and never argued from. derived: computed from stored measures by the view
    models (localdata/pictures.py), never stored. shown_as: the measure documents show in
    its place (a council's high needs block total beside England's tells a reader nothing;
    the block per EHC plan does)."""

    label: str
    source: str
    unit: str  # "count", "percent" or "money"
    worse: str | None
    base: tuple[str, str] | None = None
    derived: bool = False
    shown_as: str | None = None

    @property
    def percent(self) -> bool:
        return self.unit == "percent"


MEASURES: dict[str, MeasureInfo] = {
    "ehcp_plans": MeasureInfo("EHC plans in force", "sen2", "count", "rising"),
    "ehcp_requests": MeasureInfo("new requests for an EHC needs assessment", "sen2", "count",
                                 "rising"),
    "timely_20wk_pc": MeasureInfo("% of new EHC plans issued within 20 weeks", "sen2",
                                  "percent", "lower", ("timely_20wk_n", "new_plans_issued")),
    "sen_support_pc": MeasureInfo("% of pupils on SEN support", "sen_census", "percent",
                                  "rising"),
    "ehcp_pupils_pc": MeasureInfo("% of pupils with an EHC plan", "sen_census", "percent",
                                  "rising"),
    "dsg_deficit_pc": MeasureInfo(
        "DSG cumulative deficit as % of DSG income (negative: a surplus)", "dsg_deficit",
        "percent", "higher"),
    "high_needs_block": MeasureInfo(
        "provisional high needs block allocation, before deductions", "high_needs_block",
        "money", None, shown_as="high_needs_per_plan"),
    "tribunal_rate_pc": MeasureInfo(
        "SEND Tribunal appeal rate (% of appealable decisions)", "tribunal", "percent",
        "higher", ("tribunal_appeals_n", "tribunal_decisions_n")),
    "new_plans_issued": MeasureInfo("new EHC plans issued", "sen2", "count", "rising"),
    "timely_20wk_n": MeasureInfo("new EHC plans issued within 20 weeks", "sen2", "count", None),
    "tribunal_appeals_n": MeasureInfo("appealable decisions appealed to the SEND Tribunal",
                                      "tribunal", "count", None),
    "tribunal_decisions_n": MeasureInfo("appealable decisions", "tribunal", "count", None),
    # the provisional high needs block of a financial year divided by the EHC plans in force
    # in the January within it (2023-24: January 2024): DfE SEN2 for the plans
    "high_needs_per_plan": MeasureInfo(
        "high needs block per EHC plan in force (provisional allocation, before deductions)",
        "high_needs_block", "money", "lower", ("high_needs_block", "ehcp_plans"),
        derived=True),
}

# The counts behind a percentage: below SMALL_BASE in the denominator the count is printed
# ("4 of 5 new plans") instead of a bare percentage, and the figure is never argued from.
SMALL_BASE = 50


def stored_measures() -> list[str]:
    """The measures the store holds (every one but the derived), in MEASURES' order."""
    return [m for m, info in MEASURES.items() if not info.derived]


# Short citations for tables and bullet points; the full entry is in SOURCES.
CITATIONS = {
    "mps": "UK Parliament", "mp_gender": "Open Innovations", "ge2024": "UK Parliament",
    "sen2": "DfE SEN2 2025", "sen_census": "DfE school census", "tribunal": "MoJ/DfE",
    "dsg_deficit": "DfE S251 outturn", "high_needs_block": "ESFA DSG 2023-24",
    "onspd": "ONS Postcode Directory", "codepo": "OS Code-Point Open 2023",
    "ward_map": "12v ward mapping", "pcon2010": "Open Innovations", "portraits": "UK Parliament",
    "lad_seats": "Open Innovations",
}
