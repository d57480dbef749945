"""How django-axes counts failed sign-ins here: three limits instead of its single one.

- one account from one address: `AXES_FAILURE_LIMIT` (password guessing against one account);
- one address, any accounts: `SIGNIN_ADDRESS_FAILURE_LIMIT` (spraying many accounts);
- one account, any address: `SIGNIN_ACCOUNT_FAILURE_LIMIT`, off (0) unless set, since anyone
  could then lock a known account (say `admin`) out from everywhere.

All count the failures of the last `AXES_COOLOFF_TIME`; a failure during a lockout extends it.
The database handler keeps the failures in the database every worker and machine shares
(SQLite on one machine, PostgreSQL in production), where the unlock page can list them.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone


def lockout_parameters():
    """AXES_LOCKOUT_PARAMETERS for the limits that are on, tightest first."""
    parameters = [["username", "ip_address"], "ip_address"]
    if settings.SIGNIN_ACCOUNT_FAILURE_LIMIT:
        parameters.append("username")
    return parameters


def limit_for(parameter):
    names = frozenset([parameter] if isinstance(parameter, str) else parameter)
    return {
        frozenset({"username", "ip_address"}): settings.AXES_FAILURE_LIMIT,
        frozenset({"ip_address"}): settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
        frozenset({"username"}): settings.SIGNIN_ACCOUNT_FAILURE_LIMIT,
    }.get(names, settings.AXES_FAILURE_LIMIT)


class LimitedDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per kind of count (see the module docstring)."""

    def get_failures(self, request, credentials=None):
        """The failures of this account from this address, or at least AXES_FAILURE_LIMIT
        (locked) when a wider count has reached its own limit."""
        parameters = get_lockout_parameters(request, credentials)
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        for parameter, count in zip(parameters, counts, strict=True):
            limit = limit_for(parameter)
            if limit and count >= limit:
                return max(count, settings.AXES_FAILURE_LIMIT)
        return counts[0] if counts else 0

    def reset_user_attempts(self, request, credentials=None):
        """After a successful sign-in forget only this account's failures from this address,
        never the address's failures on other accounts."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def locked_until(last_failure):
    return last_failure + get_cool_off()


def current_locks():
    """What is locked now: ({"username", "ip_address", "failures", "until"} per account and
    address, {"ip_address", "failures", "accounts", "until"} per address, and per account
    when that limit is on), for the administrators' unlock page."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
    accounts = [
        {**row, "until": locked_until(row["last"])}
        for row in recent.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    ]
    if settings.SIGNIN_ACCOUNT_FAILURE_LIMIT:
        accounts += [
            {**row, "ip_address": None, "until": locked_until(row["last"])}
            for row in recent.values("username")
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.SIGNIN_ACCOUNT_FAILURE_LIMIT)
            .order_by("-last")
        ]
    addresses = [
        {**row, "until": locked_until(row["last"])}
        for row in recent.values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            accounts=Count("username", distinct=True),
            last=Max("attempt_time"),
        )
        .filter(failures__gte=settings.SIGNIN_ADDRESS_FAILURE_LIMIT)
        .order_by("-last")
    ]
    return accounts, addresses


def unlock_account(username):
    """Forget every failure of the account, from every address."""
    return AccessAttempt.objects.filter(username=username).delete()[0]


def unlock_address(ip_address):
    """Forget every failure from the address, on every account."""
    return AccessAttempt.objects.filter(ip_address=ip_address).delete()[0]
