"""The demo agreements: every agreement type, nested and succeeding each other.

Listed parents first. Participants are (partner, role, cost share %, signed, joined,
suspended); industrial participants are (company, U.S. state, NAICS, contract value USD,
work share %, fiscal year, description). Dates marked (check) are from memory.
"""

from datetime import date as d

F35 = ["Lockheed Martin"]
F35_PARTNERS = [
    ("United Kingdom", d(2001, 1, 17)), ("Italy", d(2002, 6, 24)),
    ("Netherlands", d(2002, 6, 17)), ("Turkey", d(2002, 7, 11)), ("Canada", d(2002, 2, 7)),
    ("Australia", d(2002, 10, 31)), ("Denmark", d(2002, 5, 28)), ("Norway", d(2002, 6, 20)),
]  # fmt: skip


def _f35_participants(*, suspended: dict) -> list[tuple]:
    return [
        (name, "participant", None, joined, joined, suspended.get(name))
        for name, joined in F35_PARTNERS
    ]


AGREEMENTS = [
    dict(
        reference="DTC-2001-0001", agreement_type="rd_partnership", status="superseded",
        title="F-35 Joint Strike Fighter System Development and Demonstration MOU",
        summary="Cooperative development of the F-35 with eight partner nations, each "
        "contributing to development costs (partners' signature dates: check).",
        signed_on=d(2001, 1, 17), technology_transfer_risk="critical",
        areas=["aircraft", "sensors", "propulsion", "electronic_warfare"],
        participants=_f35_participants(suspended={}),
        legal_bases=[("AECA27", "authorizes"), ("T10-2350a", "authorizes")],
    ),
    dict(
        reference="DTC-2006-0002", agreement_type="co_production", status="in_force",
        title="F-35 Production, Sustainment and Follow-on Development MOU",
        summary="Production, sustainment and follow-on development of the F-35. Turkey was "
        "suspended on 17 July 2019 after taking delivery of the Russian S-400.",
        signed_on=d(2006, 12, 12), supersedes="DTC-2001-0001",
        technology_transfer_risk="critical",
        areas=["aircraft", "sensors", "propulsion", "electronic_warfare"],
        participants=_f35_participants(suspended={"Turkey": d(2019, 7, 17)}),
        legal_bases=[("AECA27", "authorizes"), ("AECA36", "requires_notification")],
        industrial=[
            ("Lockheed Martin", "TX", "336411", 30_000_000_000, None, 2023,
             "F-35 Lots 15-17 production, Fort Worth (value: check)"),
            ("Northrop Grumman", "CA", "336411", None, None, None,
             "Center fuselage, Palmdale"),
        ],
        industrial_base_notes="Final assembly in Fort Worth; partner industry supplies parts "
        "under best-value competition rather than offsets.",
    ),
    dict(
        reference="DTC-2014-0003", agreement_type="sustainment", status="in_force",
        title="F-35 Asia-Pacific regional maintenance, repair, overhaul and upgrade",
        summary="Airframe heavy maintenance assigned to Japan and Australia.",
        signed_on=d(2014, 12, 17), parent="DTC-2006-0002", technology_transfer_risk="high",
        areas=["aircraft"],
        participants=[("Australia", "participant", None, None, d(2014, 12, 17), None),
                      ("Japan", "participant", None, None, d(2014, 12, 17), None)],
        legal_bases=[("AECA27", "authorizes")],
        industrial=[("Mitsubishi Heavy Industries", "", "336411", None, None, None,
                     "Airframe MRO&U, Nagoya (check)")],
    ),
    dict(
        reference="DTC-2013-0004", agreement_type="technical_assistance", status="in_force",
        title="F-35 final assembly and check-out in Japan: technical assistance agreement",
        summary="Technical data and defense services for the Nagoya FACO (date: check).",
        signed_on=d(2013, 6, 1), technology_transfer_risk="high", areas=["aircraft"],
        participants=[("Lockheed Martin", "licensor", None, d(2013, 6, 1), None, None),
                      ("Mitsubishi Heavy Industries", "licensee", None, d(2013, 6, 1), None,
                       None),
                      ("Japan", "participant", None, None, None, None)],
        legal_bases=[("ITAR124", "authorizes"), ("AECA36", "requires_notification")],
    ),
    dict(
        reference="DTC-2006-0005", agreement_type="framework", status="in_force",
        title="U.S.-Japan memorandum of understanding on research, development, test and "
        "evaluation projects",
        summary="Umbrella MOU under which project arrangements are concluded (date: check).",
        signed_on=d(2006, 6, 23), technology_transfer_risk="moderate",
        areas=["missile_defense", "hypersonics"],
        participants=[("Japan", "participant", None, d(2006, 6, 23), None, None)],
        legal_bases=[("AECA27", "authorizes"), ("T10-2350a", "authorizes")],
    ),
    dict(
        reference="DTC-2006-0006", agreement_type="co_development", status="in_force",
        title="SM-3 Block IIA cooperative development",
        summary="Joint development of the SM-3 Block IIA interceptor with Japan (check date).",
        signed_on=d(2006, 6, 23), parent="DTC-2006-0005", technology_transfer_risk="high",
        areas=["missile_defense", "propulsion", "sensors"],
        participants=[("Japan", "participant", None, d(2006, 6, 23), None, None),
                      ("Mitsubishi Heavy Industries", "subcontractor", None, None, None, None)],
        legal_bases=[("AECA27", "authorizes"), ("T10-2350a", "authorizes")],
        industrial=[("RTX (Raytheon)", "AZ", "336414", None, None, None,
                     "SM-3 production, Tucson")],
    ),
    dict(
        reference="DTC-2024-0007", agreement_type="project_arrangement", status="signed",
        title="Glide Phase Interceptor cooperative development project arrangement",
        summary="U.S.-Japan co-development of a hypersonic glide-phase interceptor "
        "(signature date: check).",
        signed_on=d(2024, 5, 1), parent="DTC-2006-0005", technology_transfer_risk="critical",
        areas=["hypersonics", "missile_defense"],
        participants=[
            ("Japan", "participant", None, d(2024, 5, 1), None, None),
            ("Acquisition, Technology and Logistics Agency", "lead", None, d(2024, 5, 1),
             None, None),
        ],
        legal_bases=[("AECA27", "authorizes")],
        industrial=[("Northrop Grumman", "AL", "336414", None, None, 2024,
                     "GPI development, Huntsville (check)")],
    ),
    dict(
        reference="DTC-2005-0008", agreement_type="licensed_manufacturing", status="in_force",
        title="PAC-3 licensed production in Japan: manufacturing license agreement",
        summary="Mitsubishi Heavy Industries builds PAC-3 interceptors under Lockheed Martin "
        "licence (date: check).",
        signed_on=d(2005, 7, 1), technology_transfer_risk="high",
        areas=["air_defense", "missile_defense", "munitions"],
        participants=[("Lockheed Martin", "licensor", None, d(2005, 7, 1), None, None),
                      ("Mitsubishi Heavy Industries", "licensee", None, d(2005, 7, 1), None,
                       None),
                      ("Japan", "participant", None, None, None, None)],
        legal_bases=[("ITAR124", "authorizes"), ("AECA36", "requires_notification")],
        industrial=[("Lockheed Martin", "TX", "336414", None, None, None,
                     "PAC-3 MSE, Grand Prairie")],
    ),
    dict(
        reference="DTC-2014-0009", agreement_type="co_production", status="in_force",
        title="Iron Dome co-production agreement",
        summary="Co-production of Iron Dome components in the United States (date: check).",
        signed_on=d(2014, 3, 5), technology_transfer_risk="high",
        areas=["air_defense", "counter_uas", "munitions"],
        participants=[
            ("Israel Missile Defense Organization", "lead", None, d(2014, 3, 5), None, None),
            ("Rafael Advanced Defense Systems", "prime_contractor", None, None, None, None),
        ],
        legal_bases=[("AECA27", "authorizes"), ("T10-2350a", "authorizes")],
        industrial=[
            ("RTX (Raytheon)", "AZ", "336414", None, None, None, "Interceptor components"),
            ("RTX (Raytheon)", "AR", "336414", None, None, None,
             "Tamir interceptor facility, Camden (check)"),
        ],
    ),
    dict(
        reference="DTC-2008-0010", agreement_type="co_development", status="in_force",
        title="Arrow 3 upper-tier interceptor co-development",
        summary="Joint U.S.-Israel development of Arrow 3 (start date: check).",
        signed_on=d(2008, 1, 1), technology_transfer_risk="high",
        areas=["missile_defense"],
        participants=[
            ("Israel Missile Defense Organization", "lead", None, d(2008, 1, 1), None, None),
        ],
        legal_bases=[("T10-2350a", "authorizes")],
        industrial=[("Boeing", "AL", "336414", None, None, None,
                     "Arrow 3 interceptor components, Huntsville (check)")],
    ),
    dict(
        reference="DTC-2026-0011", agreement_type="framework", status="proposed",
        title="U.S.-Israel Defense Technology Cooperation Initiative",
        summary="Proposed framework for joint development of counter-drone, AI, autonomous "
        "and cybersecurity technology.",
        technology_transfer_risk="high",
        areas=["ai", "autonomous_systems", "cybersecurity", "counter_uas", "directed_energy"],
        participants=[("Israel", "participant", None, None, None, None),
                      ("Israel Missile Defense Organization", "lead", None, None, None, None)],
        legal_bases=[("NDAA27-224", "authorizes"), ("NDAA26-224", "authorizes")],
        human_rights_notes="State and DoD Leahy vetting applies to assistance to units.",
    ),
    dict(
        reference="DTC-1975-0012", agreement_type="co_production", status="in_force",
        title="F-16 Multinational Fighter Program",
        summary="European co-production of the F-16; Portugal joined decades after the "
        "program began (accession date: check).",
        signed_on=d(1975, 6, 10), technology_transfer_risk="moderate", areas=["aircraft"],
        participants=[
            *[(n, "participant", None, d(1975, 6, 10), d(1975, 6, 10), None)
              for n in ("Belgium", "Denmark", "Netherlands", "Norway")],
            ("Portugal", "participant", None, None, d(2002, 1, 1), None),
        ],
        legal_bases=[("AECA27", "authorizes")],
        industrial=[("Lockheed Martin", "SC", "336411", None, None, None,
                     "F-16 Block 70 line, Greenville")],
    ),
    dict(
        reference="DTC-2012-0013", agreement_type="joint_procurement", status="in_force",
        title="NATO Alliance Ground Surveillance (AGS)",
        summary="Allies jointly procure RQ-4D surveillance aircraft operated by NATO.",
        signed_on=d(2012, 5, 20), technology_transfer_risk="moderate",
        areas=["c4isr", "sensors", "aircraft"],
        participants=[
            ("NATO", "lead", None, d(2012, 5, 20), None, None),
            ("NATO Support and Procurement Agency", "participant", None, None, None, None),
            *[(n, "participant", None, None, None, None)
              for n in ("Germany", "Italy", "Poland", "Norway", "Denmark")],
        ],
        legal_bases=[("AECA27", "authorizes")],
        industrial=[("Northrop Grumman", "CA", "336411", 1_700_000_000, None, 2012,
                     "AGS prime contract (value: check)")],
    ),
    dict(
        reference="DTC-2021-0014", agreement_type="framework", status="in_force",
        title="AUKUS Pillar II advanced capabilities",
        summary="Trilateral cooperation on hypersonics, AI, quantum, undersea and EW.",
        signed_on=d(2021, 9, 15), technology_transfer_risk="critical",
        areas=["hypersonics", "ai", "quantum", "undersea", "electronic_warfare"],
        participants=[("Australia", "participant", None, d(2021, 9, 15), None, None),
                      ("United Kingdom", "participant", None, d(2021, 9, 15), None, None)],
        legal_bases=[("AECA27", "authorizes"), ("T10-2350a", "authorizes")],
    ),
    dict(
        reference="DTC-2024-0015", agreement_type="project_arrangement", status="signed",
        title="AUKUS Hypersonic Flight Test and Experimentation (HyFliTE)",
        summary="Up to six hypersonic flight tests shared among the partners (check).",
        signed_on=d(2024, 11, 18), parent="DTC-2021-0014",
        technology_transfer_risk="critical", areas=["hypersonics", "propulsion"],
        participants=[
            ("Australia", "participant", 33, d(2024, 11, 18), None, None),
            ("United Kingdom", "participant", 33, d(2024, 11, 18), None, None),
        ],
        legal_bases=[("AECA27", "authorizes")],
    ),
    dict(
        reference="DTC-1988-0016", agreement_type="co_production", status="in_force",
        title="M1A1 Abrams co-production in Egypt",
        summary="Co-production of M1A1 tanks at Egypt's Tank Plant 200 (date: check).",
        signed_on=d(1988, 1, 1), technology_transfer_risk="moderate",
        areas=["land_systems"],
        participants=[("Egypt", "participant", None, d(1988, 1, 1), None, None)],
        legal_bases=[("AECA27", "authorizes"), ("CAA23-7041", "conditions")],
        industrial=[
            ("General Dynamics Land Systems", "MI", "336992", None, None, None,
             "Kits and engineering, Sterling Heights"),
            ("General Dynamics Land Systems", "OH", "336992", None, None, None,
             "Joint Systems Manufacturing Center, Lima"),
        ],
        human_rights_notes="Egypt's FMF carries annual human-rights conditions.",
    ),
]  # fmt: skip
