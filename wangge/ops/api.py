from ninja import Router

router = Router(tags=["城运中心"])
