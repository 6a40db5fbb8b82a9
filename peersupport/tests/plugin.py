"""The core's part of the access sweep: governance URLs.

Governance is trust-wide: the information governance lead reaches every person and request, so no
real record is out of their reach. The sweep asks for ids that name nothing, and every other role
must get the same 404 as the lead does for them."""

from __future__ import annotations

NOWHERE = 2_000_000_000

FILLERS = {
    "subject_name": lambda o: "person",
    "governed_pk": lambda o: NOWHERE,
    "request_pk": lambda o: NOWHERE,
    "destruction_pk": lambda o: NOWHERE,
}
