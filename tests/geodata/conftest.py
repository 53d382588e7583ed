import pandas as pd
import pytest

import geodata
from geodata.models import EVENT_COLUMNS


@pytest.fixture(scope="session")
def shipped():
    return geodata.load_events()


def make_row(**overrides) -> dict:
    """One valid raw row (strings, as read from a CSV): an attack in Turbat, Kech."""
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(
        id="test-turbat-attack",
        event_type="attack",
        title="Test attack in Turbat",
        date="2023-06-01",
        date_precision="day",
        country="PK",
        province="PK-BA",
        district="Kech",
        location_precision="town",
        fatalities="2",
        description="A synthetic row for tests.",
        source_title="Example source",
        source_url="https://example.org/story",
        lat="26.00",
        lon="63.05",
    )
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def table(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(EVENT_COLUMNS))
