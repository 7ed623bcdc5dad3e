"""Server-rendered pages (Jinja2) with a small local stylesheet and script; every asset is
served from ``/static`` by this server: no CDN, no outside fonts."""

from fastapi import APIRouter

from crosslink.web import (
    admin,
    auth,
    exchange,
    network,
    pages,
    referral,
    screen,
    signals,
    stats,
    workbench,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(workbench.router)
router.include_router(pages.router)
router.include_router(admin.router)
router.include_router(network.router)
router.include_router(screen.router)
router.include_router(signals.router)
router.include_router(stats.router)
router.include_router(referral.router)
router.include_router(exchange.router)

__all__ = ["router"]
