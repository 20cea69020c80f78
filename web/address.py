"""Where the browser form is: its public address and the address and port this process listens on."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class WebAddress:
    """Where people open the form (`url`, printed on slips) and where this process listens for it."""

    url: str
    listen: str
    port: int

    @property
    def base(self) -> str:
        """Return the path the site lives under, ending in / (a reverse proxy keeps it as it is)."""
        path = urlsplit(self.url).path or "/"
        return path if path.endswith("/") else f"{path}/"

    @property
    def secure(self) -> bool:
        """Return True when people reach the form over HTTPS (the cookie is then sent over HTTPS only)."""
        return urlsplit(self.url).scheme == "https"

    def link(self, path: str) -> str:
        """Return the public address of a page of the site, e.g. `s/<code>` for a slip's QR code."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{self.base}{path}"
