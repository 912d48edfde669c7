"""Who may speak for an initiative in the network, and who sees the network's numbers."""

from local4action.accounts.permissions import is_partner, is_secretariat
from local4action.initiatives.permissions import can_act_for_initiative, can_view_initiative

__all__ = ["can_act_for_initiative", "can_view_initiative", "can_view_network_numbers"]


def can_view_network_numbers(user) -> bool:
    return is_secretariat(user) or is_partner(user)
