"""What `wangge.core.warmup` builds for grids: the point index, the node table and the address
index, then one real resolve and locate so that what they load lazily (pinyin tables, parsers'
caches) is loaded too."""

from wangge.grids import indexes
from wangge.grids.models import Building
from wangge.grids.selectors import locate, resolve_address


def warm_grids() -> None:
    indexes.warm()
    first_lookups()


def first_lookups() -> None:
    """One resolve and one locate on a stored building: what the indexes load on first use."""
    sample = Building.objects.only("address", "lon", "lat").order_by("pk").first()
    if sample is not None:
        resolve_address(q=sample.address)
        locate(lon=sample.lon, lat=sample.lat)
