"""The actors table and name matching: every curated name resolves, every alias finds its actor, ACLED and UCDP
names map to ids, unknown names are reported, Arabic-script variants meet."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geodata import actors as A
from geodata import import_events, load_events
from geodata.events import read_table, shipped_events_path
from tests.geodata.import_fixtures import acled_records, csv_bytes, ucdp_records

ACTORS = A.load_actors()


def test_table_is_well_formed():
    assert ACTORS.index.is_unique and ACTORS.index.str.fullmatch(r"[a-z0-9-]+").all()
    assert ACTORS["name"].str.len().gt(0).all()
    assert ACTORS["source_url"].str.match(r"https?://").all(), "every actor cites a page"
    parents = ACTORS["part_of"][ACTORS["part_of"] != ""]
    assert parents.isin(ACTORS.index).all() and (parents != parents.index).all()
    assert not any("|" in a or a != a.strip() for aliases in ACTORS["aliases"] for a in aliases)


def _curated_names():
    raw = read_table(shipped_events_path())
    return sorted({(name, row.country) for row in raw.itertuples() for name in A.split_names(row.actors)})


@pytest.mark.parametrize(("name", "country"), _curated_names())
def test_every_curated_actor_name_resolves(name, country):
    assert A.resolve_name(name, country) is not None, name


def test_curated_events_get_actor_ids_on_load():
    events = load_events()
    named = events["actors"].notna()
    assert events.loc[named, "actor_ids"].notna().all()
    assert events.loc[~named, "actor_ids"].isna().all()
    assert set(";".join(events["actor_ids"].dropna()).split(";")) <= set(ACTORS.index)
    row = events.set_index("id").loc["2019-04-18-ormara-buzi-top-bus-massacre"]
    assert row["actor_ids"].split(";") == ["bras", "pakistan-navy", "pakistan-air-force", "pakistan-coast-guards"]


@pytest.mark.parametrize(("actor_id", "alias"),
                         [(i, alias) for i, row in ACTORS.iterrows() for alias in (row["name"], *row["aliases"])])
def test_alias_round_trip(actor_id, alias):
    assert A.resolve_name(alias, ACTORS.at[actor_id, "country"]) == actor_id


def test_aliases_cover_the_scripts():
    arabic_script = ACTORS["aliases"].map(lambda aliases: any(re.search("[\u0600-\u06ff]", a) for a in aliases))
    for group in ("jaish-al-adl", "bla", "blf", "byc", "irgc", "iran-police", "frontier-corps", "haq-do-tehreek"):
        assert arabic_script[group], group
    for abbreviation, actor_id in (("JA", "jaish-al-adl"), ("BLA", "bla"), ("BLF", "blf"), ("BRAS", "bras"),
                                   ("BYC", "byc"), ("IRGC", "irgc"), ("FARAJA", "iran-police")):
        assert A.resolve_name(abbreviation) == actor_id


@pytest.mark.parametrize(("variant", "actor_id"), [
    ("جيش العدل", "jaish-al-adl"),  # Arabic yeh
    ("جیش العدل", "jaish-al-adl"),  # Persian yeh
    ("جیش\u200cالعدل", "jaish-al-adl"),  # zero-width non-joiner, as Persian typesetting writes it
    ("جيش العدل", "jaish-al-adl"),
    ("فتنۃ الہندوستان", "fitna-al-hindustan"),  # Urdu teh marbuta goal
    ("فتنة الهندوستان", "fitna-al-hindustan"),  # Arabic teh marbuta, Arabic heh
    ("بلوچ يكجہتي كميٹي", "byc"),  # Arabic yeh and kaf in the Urdu name
    ("بلوچ یکجهتی کمیٹی", "byc"),  # Persian heh for Urdu heh goal
    ("سپاه پاسداران انقلاب اسلامي", "irgc"),
    ("أنصار الفرقان", "ansar-al-furqan"), ("انصار الفرقان", "ansar-al-furqan"),  # hamza or not
    ("فرنٹیئر کور", "frontier-corps"), ("فرنٹيئر كور", "frontier-corps"),
])
def test_arabic_script_variants_meet(variant, actor_id):
    assert A.resolve_name(variant) == actor_id


@pytest.mark.parametrize(("name", "country", "actor_id"), [
    ("Military Forces of Pakistan (2018-)", "PK", "pakistan-military"),
    ("Military Forces of Pakistan (2013-2018)", "PK", "pakistan-military"),
    ("Police Forces of Iran (1989-)", "IR", "iran-police"),
    ("Police Forces of Pakistan (2008-2013)", "PK", "pakistan-police"),
    ("BLA: Baloch Liberation Army", "PK", "bla"),
    ("BLF: Baloch Liberation Front", "PK", "blf"),
    ("BRAS: Baloch Raji Aajoi Sangar", "PK", "bras"),
    ("BYC: Baloch Yakjehti Committee", "PK", "byc"),
    ("Civilians (Pakistan)", "PK", "civilians-pk"),
    ("Civilians (Iran)", None, "civilians-ir"),
    ("Protesters (Iran)", "IR", "protesters-ir"),
    ("Rioters (Pakistan)", "PK", "rioters-pk"),
    ("Unidentified Armed Group (Pakistan)", "PK", "unidentified-pk"),
    ("Unidentified Armed Group (Iran)", "IR", "unidentified-ir"),
    ("Jaish al-Adl", "IR", "jaish-al-adl"),
    ("IRGC", "IR", "irgc"),
    ("Government of Pakistan", "PK", "government-of-pakistan"),  # UCDP side_a
    ("Government of Iran", "IR", "government-of-iran"),
    ("Jondollah", "IR", "jundallah"), ("BLA", "PK", "bla"), ("BRA", "PK", "bra"),
])
def test_acled_and_ucdp_names(name, country, actor_id):
    assert A.resolve_name(name, country) == actor_id


@pytest.mark.parametrize(("name", "country", "expected"), [
    ("Protesters", "IR", "protesters-ir"), ("Protesters", "PK", "protesters-pk"), ("Protesters", None, None),
    ("Jaish al-Adl (claimed)", None, "jaish-al-adl"), ("Iran (IRGC)", None, "irgc"),
    ("militants the state calls Fitna al-Hindustan (Baloch separatist groups)", "PK", "fitna-al-hindustan"),
    ("Militants (FC blamed 'Fitna al-Khawarij'/TTP; BLF reportedly claimed)", "PK", "unidentified-pk"),
    ("Test Group A", "PK", None), ("", "PK", None),
])
def test_resolution_rules(name, country, expected):
    assert A.resolve_name(name, country) == expected


def test_cells_split_outside_parentheses_only():
    cell = "Militants (FC blamed 'Fitna al-Khawarij'/TTP; BLF reportedly claimed); Frontier Corps; ; Test Group A"
    assert A.split_names(cell) == ["Militants (FC blamed 'Fitna al-Khawarij'/TTP; BLF reportedly claimed)",
                                   "Frontier Corps", "Test Group A"]
    assert A.resolve_cell(cell, "PK") == (("unidentified-pk", "frontier-corps"), ("Test Group A",))
    assert A.resolve_cell(None) == ((), ()) and A.resolve_cell(pd.NA) == ((), ())


def _region_acled() -> bytes:
    records = acled_records("current")[:3]
    names = [("Military Forces of Pakistan (2018-)", "Frontier Corps", "BLA: Baloch Liberation Army", ""),
             ("Police Forces of Iran (1989-)", "Border Guard Command", "Jaish al-Adl", "Rioters (Iran)"),
             ("Protesters (Pakistan)", "BYC: Baloch Yakjehti Committee; Labour Group (Pakistan)", "", "")]
    for record, (a1, assoc1, a2, assoc2) in zip(records, names):
        record.update(actor1=a1, assoc_actor_1=assoc1, actor2=a2, assoc_actor_2=assoc2)
    return csv_bytes(records)


def test_acled_fixture_maps_to_ids_and_reports_the_rest():
    events, report, kind = import_events(_region_acled(), "acled.csv")
    assert kind == "acled"
    by_id = events.set_index("id")["actor_ids"]
    assert by_id["acled-pak90001"].split(";") == ["pakistan-military", "frontier-corps", "bla"]
    assert by_id["acled-irn90002"].split(";") == ["iran-police", "iran-border-guard", "jaish-al-adl", "rioters-ir"]
    assert by_id["acled-pak90003"].split(";") == ["protesters-pk", "byc"]
    note = [n for n in report.notes if "actor name" in n]
    assert note == ["1 actor name not recognised (kept as text): Labour Group (Pakistan) (1 event)"]
    assert "Labour Group (Pakistan)" in events.set_index("id").at["acled-pak90003", "actors"]


def test_ucdp_fixture_maps_to_ids():
    records = ucdp_records()
    for record in records:
        pakistan = record["country"] == "Pakistan"
        record["side_a"] = "Government of Pakistan" if pakistan else "Government of Iran"
        record["side_b"] = "BLA" if pakistan else "Jaish al-Adl"
    events, report, _ = import_events(csv_bytes(records), "ged.csv")
    assert len(events) and events["actor_ids"].notna().all()
    for row in events.itertuples():
        expected = (["government-of-pakistan", "bla"] if row.country == "PK"
                    else ["government-of-iran", "jaish-al-adl"])
        assert row.actor_ids.split(";") == expected
    assert not [n for n in report.notes if "actor name" in n]


def test_synthetic_fixture_names_are_reported():
    events, report, _ = import_events(csv_bytes(acled_records("2019")), "acled.csv")
    assert events["actor_ids"].isna().all()
    assert any(re.match(r"2 actor names not recognised \(kept as text\): Test Group A \(\d events?\)", n)
               for n in report.notes)


def _frame():
    return pd.DataFrame({
        "actors": ["Jaish al-Adl; IRGC", "Pakistan Army; BLA", "Frontier Corps", None, "IRGC Ground Force"],
        "country": ["IR", "PK", "PK", "PK", "IR"],
        "fatalities": pd.array([5, 2, None, 1, 3], dtype="Int64"),
    })


def test_mask_and_parts():
    frame = A.with_actor_ids(_frame())
    assert A.mask(frame, ["irgc"]).tolist() == [True, False, False, False, False]
    assert A.mask(frame, ["irgc"], include_parts=True).tolist() == [True, False, False, False, True]
    assert A.mask(frame, ["pakistan-security-forces"], include_parts=True).tolist() == [False, True, True, False, False]
    assert not A.mask(frame, []).any()
    assert A.mask(frame.drop(columns="actor_ids"), ["bla"]).tolist() == [False, True, False, False, False]


def test_top_actors_counts_events_and_fatalities():
    top = A.top_actors(A.with_actor_ids(_frame())).set_index("actor_id")
    assert top.loc["jaish-al-adl", ["events", "fatalities", "unreported"]].tolist() == [1, 5, 0]
    assert top.loc["frontier-corps", ["events", "fatalities", "unreported"]].tolist() == [1, 0, 1]
    assert top.loc["bla", "name"] == "Balochistan Liberation Army"
    assert list(A.top_actors(load_events(), limit=3).columns) == ["actor_id", "name", "kind", "country", "events",
                                                                   "fatalities", "unreported"]
    assert len(A.top_actors(load_events(), limit=3)) == 3
    assert A.top_actors(_frame().iloc[0:0]).empty
