"""Checks on what buyers, creators and reviewers write: claim reason and description, chat messages (DESIGN §2)."""

from resolution_app.domain.enums import Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY, Policy
from resolution_app.domain.text import written


def validate_description(text: str, policy: Policy = DEFAULT_POLICY) -> str:
    """The claim's description without surrounding blanks, if its length is within the policy's bounds."""
    description = written(text).strip()
    if len(description) < policy.description_min_chars:
        raise InvalidInput(
            f"Describe the issue in at least {policy.description_min_chars:,} characters.", "description"
        )
    if len(description) > policy.description_max_chars:
        raise InvalidInput(
            f"The description is too long: at most {policy.description_max_chars:,} characters.", "description"
        )
    return description


def validate_reason(value: str) -> Reason:
    """The claim reason from a form value; anything but a known reason value is refused."""
    # Form values come from the browser, which may send anything at all.
    if not isinstance(value, str):
        raise InvalidInput("Choose a reason.", "reason")
    try:
        return Reason(value.strip())
    except ValueError as error:
        raise InvalidInput("Choose a reason.", "reason") from error


def validate_message(
    text: str, policy: Policy = DEFAULT_POLICY, *, has_files: bool = False, max_chars: int | None = None
) -> str:
    """A chat message, reply, statement or rationale without surrounding blanks; `max_chars` overrides the
    policy's message limit (a decision's rationale may be longer).

    It may be empty only when files are attached: the files are then the message.
    """
    message = written(text).strip()
    limit = max_chars or policy.message_max_chars
    if not message and not has_files:
        raise InvalidInput("Write a message.")
    if len(message) > limit:
        raise InvalidInput(f"The message is too long: at most {limit:,} characters.")
    return message


def check_file_room(files_on_case: int, adding: int, policy: Policy = DEFAULT_POLICY) -> None:
    """A case holds at most `max_files_per_case` files, counting those being added."""
    if adding and files_on_case + adding > policy.max_files_per_case:
        room = max(policy.max_files_per_case - files_on_case, 0)
        left = f"only {room} more can be added" if room else "no more can be added"
        raise InvalidInput(f"A case holds at most {policy.max_files_per_case} files; {left}.")


def check_message_pace(recent_messages: int, policy: Policy = DEFAULT_POLICY) -> None:
    """A party sends at most `max_messages_per_party` messages on a case within `message_window`."""
    if recent_messages >= policy.max_messages_per_party:
        minutes = int(policy.message_window.total_seconds() // 60)
        raise InvalidInput(
            f"You have sent {policy.max_messages_per_party} messages on this case in the last {minutes} minutes. "
            "Wait a few minutes before sending another."
        )
