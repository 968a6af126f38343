"""The small organisation the routing tests route through: guide p.13's Juliet Higgins and colleagues."""

from __future__ import annotations

from fvkit.domain.handling import Handling
from fvkit.sim.paths import SRC
from fvkit.sim.routing import Party, RoutingOrg

TRUNK = "fve126"
JULIET = "7101"  # guide p.13: "To: Juliet Higgins 7101"
COLLEAGUE = "7102"
NORA = "7103"
OPERATOR = "7105"
GROUP = "6001"
MAIN = "7000"

PARTIES = {
    p.number: p
    for p in (
        Party(JULIET, "Juliet Higgins", "User", did="14085550101"),
        Party(COLLEAGUE, "Arthur Dent", "User", did="14085550102"),
        Party(NORA, "Nora Kline", "User", did="14085550103"),
        Party(OPERATOR, "Olivia Front", "User", did="14085550105"),
        Party(GROUP, "Sales group", "Group", members=(COLLEAGUE, NORA)),
        Party(MAIN, "auto_attendant_default", "Auto attendant", did="14085550100"),
        Party("7500", "Conference", "Conference bridge"),
        Party("7801", "Fax 1", "Fax", did="14085550180"),
    )
}

# the guide p.13 call-flow lines for Juliet Higgins
INCOMING = f"incoming call from number:{SRC} to DID:14085550101, trunk:{TRUNK}"
DIAL = f"dial local number:{JULIET}, device:PJSIP/{JULIET}"
RING = f'dial local extension:PJSIP/{JULIET}, callee id:"Juliet Higgins" <{JULIET}>'
NORMAL = f"process call handling state:<NORMAL> for user:<{JULIET}>"
ANSWERED = f"call answered by PJSIP/{JULIET}"
COMPLETED = "call completed, status: ANSWER"


def small_org(handling: dict[str, Handling], transfer_to: dict[str, str]) -> RoutingOrg:
    """Return the organisation: each user's handling as given, the others' default."""
    users = {n: Handling(n, p.name) for n, p in PARTIES.items() if p.kind == "User"}
    users.update(handling)
    return RoutingOrg(
        PARTIES, users, operator=OPERATOR, auto_attendants={MAIN: "auto_attendant_default"}, transfer_to=transfer_to
    )
