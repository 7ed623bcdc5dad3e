"""Need-to-know: agencies, users, roles; the one policy; the hash-chained audit log;
retention; authentication.

Every read of records goes through :func:`record_filter` / :func:`visible_records` (in
queries) or :func:`authorize` (for one record), and every access into the audit log
(:func:`append`, :func:`consult_records`). See ``docs/security.md``.
"""

from crosslink.access.audit import (
    ACTIONS as AUDIT_ACTIONS,
)
from crosslink.access.audit import (
    AuditEntry,
    Checkpoint,
    Event,
    VerifyResult,
    append,
    checkpoint,
    verify,
)
from crosslink.access.audit_views import AuditQuery, export_csv, export_jsonl, search, verify_export
from crosslink.access.consult import Consultation, authorize_import, consult_records, log_collection
from crosslink.access.directory import (
    Agency,
    NewUser,
    User,
    add_agency,
    add_user,
    bootstrap_admin,
    list_agencies,
    list_users,
    load_subject,
    set_active,
    set_password,
)
from crosslink.access.filters import load_records, record_filter, visible_records
from crosslink.access.grants import (
    PermissionGrant,
    assign_source,
    grant_permission,
    revoke_permission,
)
from crosslink.access.identity import (
    IdentityProvider,
    IdToken,
    LocalPasswordProvider,
    LoginOutcome,
    OIDCProvider,
    Password,
    login,
)
from crosslink.access.passwords import hash_password, verify_password
from crosslink.access.policy import (
    Decision,
    RecordResource,
    SourceResource,
    StepResource,
    Subject,
    SystemResource,
    authorize,
)
from crosslink.access.ratelimit import Limit, RateLimits
from crosslink.access.retention import (
    Due,
    RetentionRules,
    due_for_review,
    erase_records,
    extend_review,
    load_retention,
    schedule_reviews,
)
from crosslink.access.roles import ACTIONS, RECORD_ACTIONS, load_roles
from crosslink.access.sessions import (
    SessionPolicy,
    check_csrf,
    create_session,
    csrf_token,
    end_session,
    session_subject,
)
from crosslink.access.tokens import issue_token, list_tokens, revoke_token, token_subject
from crosslink.access.uploads import safe_upload_name
from crosslink.clock import Clock, FixedClock, SystemClock

__all__ = [
    "ACTIONS",
    "AUDIT_ACTIONS",
    "RECORD_ACTIONS",
    "Agency",
    "AuditEntry",
    "AuditQuery",
    "Checkpoint",
    "Clock",
    "Consultation",
    "Decision",
    "Due",
    "Event",
    "FixedClock",
    "IdToken",
    "IdentityProvider",
    "Limit",
    "LocalPasswordProvider",
    "LoginOutcome",
    "NewUser",
    "OIDCProvider",
    "Password",
    "PermissionGrant",
    "RateLimits",
    "RecordResource",
    "RetentionRules",
    "SessionPolicy",
    "SourceResource",
    "StepResource",
    "Subject",
    "SystemClock",
    "SystemResource",
    "User",
    "VerifyResult",
    "add_agency",
    "add_user",
    "append",
    "assign_source",
    "authorize",
    "authorize_import",
    "bootstrap_admin",
    "check_csrf",
    "checkpoint",
    "consult_records",
    "create_session",
    "csrf_token",
    "due_for_review",
    "end_session",
    "erase_records",
    "export_csv",
    "export_jsonl",
    "extend_review",
    "grant_permission",
    "hash_password",
    "issue_token",
    "list_agencies",
    "list_tokens",
    "list_users",
    "load_records",
    "load_retention",
    "load_roles",
    "load_subject",
    "log_collection",
    "login",
    "record_filter",
    "revoke_permission",
    "revoke_token",
    "safe_upload_name",
    "schedule_reviews",
    "search",
    "session_subject",
    "set_active",
    "set_password",
    "token_subject",
    "verify",
    "verify_export",
    "verify_password",
    "visible_records",
]
