"""A standalone HTML map: the dashboard's folium choropleth with Leaflet inlined.

The file opens offline from disk: Leaflet's JS and CSS (``static/vendor/leaflet/``, installed
by ``make``) are written into the page instead of linked, there is no tile layer, and no
``<script src>`` or ``<link href>`` points anywhere. Every text that reaches the page is
HTML-escaped (``dashboard.text.escape``); the legend uses ``textContent``.
"""
from __future__ import annotations

import re
from pathlib import Path

from branca.element import Element

from dashboard.text import escape

__all__ = ["LEAFLET_FILES", "render_html", "MissingLeaflet"]

#: Where ``make`` puts npm's ``leaflet`` package files.
LEAFLET_FILES = Path(__file__).resolve().parents[2] / "static" / "vendor" / "leaflet"


class MissingLeaflet(FileNotFoundError):
    """Leaflet's files are not installed (run ``make``, which copies them from npm)."""


_PANEL_CSS = """<style>
.riskmap-head{position:absolute;top:10px;left:54px;z-index:1000;max-width:58%;
  background:rgba(255,255,255,.93);padding:8px 12px;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.35 sans-serif;color:#1a1a1a}
.riskmap-head h1{font-size:17px;margin:0 0 3px 0}
.riskmap-head p{margin:0;color:#555}
.riskmap-foot{order:2;flex:0 0 auto;background:#fff;border-top:1px solid #ccc;padding:5px 12px;
  font:11px/1.35 sans-serif;color:#444}
.riskmap-foot p{margin:0}
html,body{height:100%;margin:0}
body{display:flex;flex-direction:column}
.folium-map{order:1;flex:1 1 auto;height:auto !important;min-height:300px}
</style>"""


def _inline(html: str, root: Path) -> str:
    js_path, css_path = root / "leaflet.js", root / "leaflet.css"
    if not js_path.exists() or not css_path.exists():
        raise MissingLeaflet(f"Leaflet not found in {root}; run `make` (it installs npm's leaflet there)")
    js = js_path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = css_path.read_text(encoding="utf-8").replace("</style", "<\\/style")
    html, n_js = re.subn(r'<script src="[^"]*leaflet\.js"></script>',
                         lambda _m: f"<script>{js}</script>", html, count=1)
    html, n_css = re.subn(r'<link rel="stylesheet" href="[^"]*leaflet\.css"\s*/?>',
                          lambda _m: f"<style>{css}</style>", html, count=1)
    if not (n_js and n_css):
        raise RuntimeError("folium's page no longer links leaflet.js/leaflet.css as expected")
    return html


def render_html(m, *, title: str, subtitle: str, footer: tuple[str, ...], lang: str,
                leaflet_dir: Path | None = None, warnings: tuple[str, ...] = ()) -> bytes:
    """A self-contained HTML page (UTF-8 bytes) of the folium map ``m``.

    ``m`` is the dashboard's own map (``dashboard.leaflet_map.risk_map``), so the
    file shows what the page shows; ``title``, ``subtitle`` and ``footer`` are translated texts,
    escaped here. Leaflet is inlined from ``leaflet_dir`` (default ``LEAFLET_FILES``).
    """
    m.height = (100.0, "%")
    root = m.get_root()
    root.header.add_child(Element(_PANEL_CSS), name="riskmap_panel_css")
    warn = "".join(f'<p><strong style="color:#8b1a1a">{escape(w)}</strong></p>' for w in warnings)
    head = f'<div class="riskmap-head"><h1>{escape(title)}</h1><p>{escape(subtitle)}</p>{warn}</div>'
    foot = '<div class="riskmap-foot">' + "".join(f"<p>{escape(line)}</p>" for line in footer) + "</div>"
    root.html.add_child(Element(head + foot), name="riskmap_panels")
    html = root.render()
    html = html.replace("<html>", f'<html lang="{escape(lang)}">', 1)
    html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
    return _inline(html, leaflet_dir or LEAFLET_FILES).encode("utf-8")
