"""Places without a building, placed on the imported data's own geometry.

A crossing is where two imported roads' lines meet; a corner is the sector between their
arms that the corner word points into. A landmark (a building by its address or alias, a
小区 and its gate, or a crossing) plus a direction and a distance is a stretch of points as
wide as the words' tolerance. A lane, 胡同, 巷, 组, 屯 or 自然村 named alone is its road's line
or its buildings' points; a micro-grid named after a 组 is itself. Near a landmark is a circle
around it (``ADDRESS_NEAR_RADIUS_M``).

Every such place is answered with a micro-grid only when **every** point of it lies in one
micro-grid (the point lookup of either engine: `indexes.grid_index`); otherwise the grids it
touches are the candidates and a person chooses. A road, landmark or offset the data cannot
place refuses: a misroute costs more than a question.

Geometry is worked in a local plane (metres east and north of the data's centre): over a
district, the error of that projection is far under the tolerance of any spoken distance.

The data's side (`index`: ``PlaceIndex``, its ways, compounds and areas in the plane) is apart
from the reading of a text against it (`reader`: ``PlaceReader``), and both from the names'
canonical form (`names`) and the plane's shapes (`plane`).
"""

from wangge.grids.addresses.placetext import may_describe_a_place, says_an_offset
from wangge.grids.places_geo.index import PlaceIndex
from wangge.grids.places_geo.names import front_of
from wangge.grids.places_geo.reader import PlaceReader, PlaceResult

__all__ = [
    "PlaceIndex",
    "PlaceReader",
    "PlaceResult",
    "front_of",
    "may_describe_a_place",
    "says_an_offset",
]
