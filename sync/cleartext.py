"""Whether a password sent to an address travels in clear where others on a network can read it.

``https://`` is encrypted. ``http://`` is in clear, which is acceptable only when the server is
this computer or on the person's own network: a loopback address or ``localhost``, a private
(RFC 1918) or unique local IPv6 address, a link-local one. A host name is not resolved (a name
can resolve to anything, and a hostile network answers the lookup itself), so any name other
than ``localhost`` counts as public: the person who runs a server at home by name gets the
warning, and may ignore it.
"""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit

_OWN_NETWORKS: Final = tuple(
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",  # loopback
        "10.0.0.0/8",  # RFC 1918
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",  # link-local
        "::1/128",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
    )
)


def password_in_clear(url: str) -> bool:
    """True when a password sent to `url` would cross a network unencrypted: ``http://`` to an
    address that is not loopback, private or link-local (any host name but ``localhost``).

    False for ``https://``, and for what is not an http(s) URL (other checks refuse it).
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return False
    if parts.scheme.lower() != "http" or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # without an IPv6 zone
    except ValueError:
        return True  # a name: not resolved
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not any(address in network for network in _OWN_NETWORKS)
