"""The visitor's address, the one every limit of the portal counts.

allauth's own: behind `TRUSTED_PROXY_COUNT` reverse proxies it takes the
address the nearest trusted proxy appended to X-Forwarded-For (not what the
client wrote there itself), without them the connecting address; an IPv6
address counts as its /64 network, which one home or phone is given whole.
The login, reset and sign-up limits (allauth's "ip" rates, portal.adapters)
and the portal's own (the repair address lookup) call this one function, so
they all count the same visitor.
"""

from allauth.core.internal.ratelimit import get_ip


def client_ip(request) -> str:
    return get_ip(request)
