"""The demo data set: partners, legislation and agreements from public facts.

Dates and figures come from public sources (official texts, CRS reports, press). Where
sources disagree or a date is from memory, the record says "(check)": users correct it in
the registry like any other record. Conditions and the waiver ledger are in demo_conditions.
"""

from datetime import date as d

NATO_1949 = "North Atlantic Treaty, in force 1949-08-24"
MNNA_1987 = "Designated under 10 U.S.C. 2350a (Nunn Amendment), 1987 (check)"
NATO_PLUS5 = "AECA §36 shorter review period (date to check)"

# (name, kind, iso3, parent name, [(category, valid_from, valid_to, instrument)])
PARTNERS = [
    ("United States", "country", "USA", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("United Kingdom", "country", "GBR", None, [
        ("nato_member", d(1949, 8, 24), None, NATO_1949),
        ("five_eyes", d(1946, 3, 5), None, "UKUSA Agreement"),
        ("aukus", d(2021, 9, 15), None, "AUKUS joint leaders' statement"),
    ]),
    ("Turkey", "country", "TUR", None, [
        ("nato_member", d(1952, 2, 18), None, "Protocol of accession, 1952"),
    ]),
    ("Finland", "country", "FIN", None, [
        ("nato_member", d(2023, 4, 4), None, "Accession to the North Atlantic Treaty"),
        ("eu_member", d(1995, 1, 1), None, "Treaty of accession, 1994"),
    ]),
    ("Sweden", "country", "SWE", None, [
        ("nato_member", d(2024, 3, 7), None, "Accession to the North Atlantic Treaty"),
        ("eu_member", d(1995, 1, 1), None, "Treaty of accession, 1994"),
    ]),
    ("Japan", "country", "JPN", None, [
        ("mnna", d(1987, 1, 1), None, MNNA_1987),
        ("nato_plus5", d(1998, 1, 1), None, NATO_PLUS5),
    ]),
    ("Israel", "country", "ISR", None, [
        ("mnna", d(1987, 1, 1), None, MNNA_1987),
        ("nato_plus5", d(2008, 10, 15), None, NATO_PLUS5),
    ]),
    ("Egypt", "country", "EGY", None, [("mnna", d(1987, 1, 1), None, MNNA_1987)]),
    ("Australia", "country", "AUS", None, [
        ("mnna", d(1987, 1, 1), None, MNNA_1987),
        ("nato_plus5", d(1998, 1, 1), None, NATO_PLUS5),
        ("five_eyes", d(1956, 1, 1), None, "UKUSA Agreement, Australian accession (check)"),
        ("aukus", d(2021, 9, 15), None, "AUKUS joint leaders' statement"),
    ]),
    ("Republic of Korea", "country", "KOR", None, [
        ("mnna", d(1987, 1, 1), None, MNNA_1987),
        ("nato_plus5", d(2008, 10, 15), None, NATO_PLUS5),
    ]),
    ("Argentina", "country", "ARG", None, [
        ("mnna", d(1998, 1, 6), None, "PD 98-9, 63 FR 3635"),
    ]),
    ("Canada", "country", "CAN", None, [
        ("nato_member", d(1949, 8, 24), None, NATO_1949),
        ("five_eyes", d(1948, 1, 1), None, "UKUSA Agreement, Canadian accession (check)"),
    ]),
    ("Italy", "country", "ITA", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Netherlands", "country", "NLD", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Norway", "country", "NOR", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Denmark", "country", "DNK", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Belgium", "country", "BEL", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Portugal", "country", "PRT", None, [("nato_member", d(1949, 8, 24), None, NATO_1949)]),
    ("Germany", "country", "DEU", None, [
        ("nato_member", d(1955, 5, 6), None, "Accession to the North Atlantic Treaty"),
    ]),
    ("Poland", "country", "POL", None, [
        ("nato_member", d(1999, 3, 12), None, "Accession to the North Atlantic Treaty"),
    ]),
    ("NATO", "international_organization", None, None, []),
    ("NATO Support and Procurement Agency", "international_organization", None, "NATO", []),
    ("Lockheed Martin", "company", None, "United States", []),
    ("RTX (Raytheon)", "company", None, "United States", []),
    ("Northrop Grumman", "company", None, "United States", []),
    ("Boeing", "company", None, "United States", []),
    ("General Dynamics Land Systems", "company", None, "United States", []),
    ("Mitsubishi Heavy Industries", "company", None, "Japan", []),
    ("Rafael Advanced Defense Systems", "company", None, "Israel", []),
    ("Israel Missile Defense Organization", "government_agency", None, "Israel", []),
    ("Acquisition, Technology and Logistics Agency", "government_agency", None, "Japan", []),
]  # fmt: skip

# key -> fields of the act; provisions below refer to the key.
ACTS = {
    "AECA": dict(
        title="Arms Export Control Act", short_title="AECA", congress=90, status="enacted",
        public_law="90-629", statutes_at_large="82 Stat. 1320", enacted_on=d(1968, 10, 22),
        url="https://uscode.house.gov/view.xhtml?path=/prelim@title22/chapter39",
    ),
    "FAA": dict(
        title="Foreign Assistance Act of 1961", short_title="FAA", congress=87,
        status="enacted", public_law="87-195", statutes_at_large="75 Stat. 424",
        enacted_on=d(1961, 9, 4),
    ),
    "T10": dict(
        kind="code_title", title="Title 10, United States Code: Armed Forces",
        short_title="10 U.S.C.", status="enacted",
        url="https://uscode.house.gov/browse/prelim@title10",
    ),
    "NDAA26": dict(
        title="National Defense Authorization Act for Fiscal Year 2026",
        short_title="NDAA for FY2026", congress=119, bill_type="S", bill_number=1071,
        status="enacted", public_law="119-60", enacted_on=d(2025, 12, 18), fiscal_year=2026,
    ),
    "NDAA27": dict(
        title="National Defense Authorization Act for Fiscal Year 2027 (HASC committee draft)",
        short_title="NDAA for FY2027 (committee draft)", congress=119, status="introduced",
        fiscal_year=2027,
    ),
    "CAA20": dict(
        title="Further Consolidated Appropriations Act, 2020", congress=116, bill_type="HR",
        bill_number=1865, status="enacted", public_law="116-94", enacted_on=d(2019, 12, 20),
        fiscal_year=2020,
    ),
    "CAA23": dict(
        title="Consolidated Appropriations Act, 2023", congress=117, bill_type="HR",
        bill_number=2617, status="enacted", public_law="117-328",
        statutes_at_large="136 Stat. 4459", enacted_on=d(2022, 12, 29), fiscal_year=2023,
    ),
    "CAA24": dict(
        title="Further Consolidated Appropriations Act, 2024", congress=118, bill_type="HR",
        bill_number=2882, status="enacted", public_law="118-47", enacted_on=d(2024, 3, 23),
        fiscal_year=2024,
    ),
    "ITAR": dict(
        kind="regulation", title="International Traffic in Arms Regulations",
        short_title="ITAR", status="enacted",
        url="https://www.ecfr.gov/current/title-22/chapter-I/subchapter-M",
    ),
    "NSM20": dict(
        kind="executive_instrument",
        title="National Security Memorandum on Safeguards and Accountability with Respect "
        "to Transferred Defense Articles and Defense Services",
        short_title="NSM-20", status="enacted", enacted_on=d(2024, 2, 8),
    ),
    "PD98-9": dict(
        kind="executive_instrument",
        title="Presidential Determination No. 98-9: designation of Argentina as a major "
        "non-NATO ally", short_title="PD 98-9", status="enacted", enacted_on=d(1998, 1, 6),
    ),
}  # fmt: skip

# key -> (act key, fields)
PROVISIONS = {
    "AECA27": ("AECA", dict(section="27", heading="Cooperative projects with friendly "
               "foreign countries", codification="22 U.S.C. 2767")),
    "AECA36": ("AECA", dict(section="36", heading="Reports on commercial and governmental "
               "military exports; congressional action", codification="22 U.S.C. 2776")),
    "FAA620M": ("FAA", dict(section="620M", heading="Limitation on assistance to security "
                "forces (State Leahy law)", codification="22 U.S.C. 2378d",
                valid_from=d(2014, 1, 17))),
    "FAA620J": ("FAA", dict(section="620J", heading="Limitation on assistance to security "
                "forces (renumbered as section 620M)", status="renumbered",
                valid_from=d(2011, 12, 23), valid_to=d(2014, 1, 16))),
    "FAA502B": ("FAA", dict(section="502B", heading="Human rights",
                codification="22 U.S.C. 2304")),
    "FAA517": ("FAA", dict(section="517", heading="Designation of major non-NATO allies",
               codification="22 U.S.C. 2321k")),
    "T10-2350a": ("T10", dict(section="2350a", heading="Cooperative research and "
                  "development agreements: NATO organizations; allied and friendly foreign "
                  "countries", codification="10 U.S.C. 2350a")),
    "T10-362": ("T10", dict(section="362", heading="Use of funds: prohibition on use for "
                "assistance to units of foreign security forces that have committed a gross "
                "violation of human rights (DoD Leahy law)", codification="10 U.S.C. 362",
                report_deadline_days=15)),
    "NDAA26-224": ("NDAA26", dict(section="224", path="div. A, title II",
                   heading="United States-Israel defense technology cooperation (as cited in "
                   "the program brief; check)", valid_from=d(2025, 12, 18))),
    "NDAA27-224": ("NDAA27", dict(section="224", path="div. A, title II",
                   heading="U.S.-Israel Defense Technology Cooperation Initiative",
                   status="proposed")),
    "CAA20-7041": ("CAA20", dict(section="7041(a)(3)", path="div. G, title VII",
                   heading="Egypt: Foreign Military Financing conditions and waiver (check)",
                   status="expired", valid_from=d(2019, 12, 20))),
    "CAA23-7041": ("CAA23", dict(section="7041(a)(3)", path="div. K, title VII",
                   heading="Egypt: Foreign Military Financing conditions and waiver",
                   status="expired", valid_from=d(2022, 12, 29))),
    "CAA24-7041": ("CAA24", dict(section="7041(a)(3)", path="div. F, title VII",
                   heading="Egypt: Foreign Military Financing conditions and waiver (check)",
                   valid_from=d(2024, 3, 23))),
    "ITAR124": ("ITAR", dict(section="Part 124", heading="Agreements, off-shore procurement "
                "and other defense services", codification="22 CFR Part 124")),
    "NSM20-1": ("NSM20", dict(section="1", heading="Assurances from recipient governments "
                "(NSM-20 rescinded in 2025; check)", status="repealed",
                valid_from=d(2024, 2, 8), valid_to=d(2025, 2, 21))),
}  # fmt: skip
