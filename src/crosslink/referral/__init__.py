"""The victim referral mechanism: national procedures as data (BE, NL, UK), referral cases
with their history, documents and clocks, consent per purpose, and re-trafficking alerts.

See ``docs/referral.md``.
"""

from crosslink.referral.alerts import Alert, retrafficking_alerts
from crosslink.referral.consent import (
    Consent,
    ConsentGrant,
    list_consents,
    record_consent,
    withdraw_consent,
)
from crosslink.referral.procedure import (
    JURISDICTIONS,
    Procedure,
    load_procedure,
    load_procedure_file,
    parse_procedure,
)
from crosslink.referral.referrals import Move, NewReferral, move, open_referral
from crosslink.referral.views import (
    ClockState,
    NextStep,
    ReferralView,
    Step,
    Summary,
    due_clocks,
    list_referrals,
    show_referral,
)

__all__ = [
    "JURISDICTIONS",
    "Alert",
    "ClockState",
    "Consent",
    "ConsentGrant",
    "Move",
    "NewReferral",
    "NextStep",
    "Procedure",
    "ReferralView",
    "Step",
    "Summary",
    "due_clocks",
    "list_consents",
    "list_referrals",
    "load_procedure",
    "load_procedure_file",
    "move",
    "open_referral",
    "parse_procedure",
    "record_consent",
    "retrafficking_alerts",
    "show_referral",
    "withdraw_consent",
]
