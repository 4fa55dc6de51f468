"""Kubernetes Status errors, as the API server returns them and kubectl prints them.

Every rejected request raises :class:`StatusError`; the store is left unchanged. Messages follow
apimachinery ``pkg/api/errors/errors.go`` word for word.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "StatusError",
    "already_exists",
    "bad_request",
    "conflict",
    "forbidden",
    "invalid",
    "not_found",
]


class StatusError(Exception):
    """An API error carrying a ``kind: Status`` (code, reason, message, details)."""

    def __init__(
        self, code: int, reason: str, message: str, *, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details or {}

    @property
    def status(self) -> dict[str, Any]:
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "details": self.details,
            "code": self.code,
        }

    def kubectl_message(self) -> str:
        """The line kubectl prints for this error."""
        if self.reason == "Invalid":
            return self.message
        return f"Error from server ({self.reason}): {self.message}"

    def __repr__(self) -> str:
        return f"StatusError({self.code}, {self.reason!r}, {self.message!r})"


def not_found(resource: str, name: str) -> StatusError:
    return StatusError(
        404, "NotFound", f'{resource} "{name}" not found', details={"name": name, "kind": resource}
    )


def already_exists(resource: str, name: str) -> StatusError:
    return StatusError(
        409,
        "AlreadyExists",
        f'{resource} "{name}" already exists',
        details={"name": name, "kind": resource},
    )


def conflict(resource: str, name: str) -> StatusError:
    return StatusError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {resource} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again",
        details={"name": name, "kind": resource},
    )


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def forbidden(message: str) -> StatusError:
    return StatusError(403, "Forbidden", message)


def invalid(kind: str, name: str, causes: list[tuple[str, str]]) -> StatusError:
    """``The Pod "x" is invalid: <field>: <message>`` (several causes go in a bracketed list)."""
    rendered = [f"{field}: {msg}" if field else msg for field, msg in causes]
    if len(rendered) == 1:
        text = rendered[0]
    else:
        text = "[" + ", ".join(rendered) + "]"
    return StatusError(
        422,
        "Invalid",
        f'The {kind} "{name}" is invalid: {text}',
        details={
            "name": name,
            "kind": kind,
            "causes": [{"field": f, "message": m} for f, m in causes],
        },
    )
