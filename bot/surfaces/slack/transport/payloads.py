"""Every payload Slack sends the app, as validated models: what a field may hold is said once.

A signed request is still untrusted input (a leaked signing secret, a bug in a proxy, a test
harness): `text: null`, an `action_id` that is a number, `actions: []`, `event` as a string or
a 5,000-digit button value must never reach a listener, Bolt's own parsing, or a job that would
fail on it forever. intake.py runs `read()` on each request before Bolt sees it; listeners and
jobs read their fields through the same models (`Click`, `QuestionEvent`, ...).

Strict types: nothing is coerced (a number is not an id, a list is not text), and every string
has a bounded length, so a field can go into a log line or a store without surprises.

Two layers: `Envelope` holds every field Bolt's own request parsing reads (the user, channel,
team, enterprise, authorizations, thread, response_url… it looks for in the payload, its event,
message, item and assistant thread: slack_bolt.request.internals.build_context and the payload
checks of its middleware), for every payload, handled or not; the models below it hold what the
app's listeners and jobs read. A payload must pass both, so Bolt never meets a number where it
expects an id (`"user": 5` raised inside its request constructor: a 500).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

__all__ = ["ValidationError"]

# Slack ids (U…, C…, D…, T…, A…, Ev…) and message timestamps ("1700000000.123456").
Id = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Ts = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{1,12}\.[0-9]{1,9}$")]
Text = Annotated[str, StringConstraints(strict=True, max_length=40_000)]  # a Slack message's cap
Short = Annotated[str, StringConstraints(strict=True, max_length=255)]
Url = Annotated[str, StringConstraints(strict=True, max_length=2000, pattern=r"^https?://\S+$")]
ButtonValue = Annotated[str, StringConstraints(strict=True, max_length=2000)]
Command = Annotated[str, StringConstraints(strict=True, pattern=r"^/[a-z0-9_-]{1,32}$")]
Metadata = Annotated[str, StringConstraints(strict=True, max_length=3000)]  # a view's own
# An id as Bolt's parsing reads it: absent, empty (a form's blank field) or an id. Never a number.
MaybeId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9._-]{0,64}$")]
# A stored answer's id, as the state stores make them (uuid4().hex): what an answer's buttons
# carry. ASCII hex only: "٣" or a full-width digit is no id.
AnswerId = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9a-f]{32}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Named(_Model):
    id: Id


# ----------------------------------------------------------------------------- the envelope


class _Ref(_Model):
    """A user, channel, team or enterprise given as an object: Bolt reads its id (and a user's
    or team's own team or enterprise)."""

    id: MaybeId | None = None
    team_id: MaybeId | None = None
    enterprise_id: MaybeId | None = None


Ref = MaybeId | _Ref


class _InstalledView(_Model):
    app_installed_team_id: MaybeId | None = None
    team_id: MaybeId | None = None


class _Authorization(_Model):
    team_id: MaybeId | None = None
    enterprise_id: MaybeId | None = None
    user_id: MaybeId | None = None
    is_enterprise_install: bool | None = None
    is_bot: bool | None = None


class _ResponseUrl(_Model):
    response_url: Url


class Envelope(_Model):
    """What Bolt reads of any payload, at the top and again inside `event`, `message`,
    `previous_message`, `item` and `assistant_thread` (it looks in each for the same ids)."""

    type: Short | None = None
    subtype: Short | None = None
    channel_type: Short | None = None
    user: Ref | None = None
    user_id: MaybeId | None = None
    user_team: MaybeId | None = None
    channel: Ref | None = None
    channel_id: MaybeId | None = None
    team: Ref | None = None
    team_id: MaybeId | None = None
    enterprise: Ref | None = None
    enterprise_id: MaybeId | None = None
    context_team_id: MaybeId | None = None
    context_enterprise_id: MaybeId | None = None
    api_app_id: MaybeId | None = None
    bot_id: MaybeId | None = None
    thread_ts: Ts | None = None
    authorizations: list[_Authorization] | None = Field(default=None, max_length=10)
    view: _InstalledView | None = None
    response_url: Url | None = None
    response_urls: list[_ResponseUrl] | None = Field(default=None, max_length=10)
    event: Envelope | None = None
    message: Envelope | None = None
    previous_message: Envelope | None = None
    item: Envelope | None = None
    assistant_thread: Envelope | None = None

    @model_validator(mode="after")
    def _event_has_a_type(self) -> Envelope:
        if self.event is not None and self.event.type is None:
            raise ValueError("an event without a type")
        return self

    def response_urls_named(self) -> list[str]:
        """Every response_url the payload names (Bolt's `respond` posts to the first)."""
        urls = [self.response_url] if self.response_url else []
        return urls + [u.response_url for u in self.response_urls or []]


# ----------------------------------------------------------------------------- events


class QuestionEvent(_Model):
    """app_mention and message: what may ask the bot a question."""

    type: Literal["app_mention", "message"]
    channel: Id
    ts: Ts
    user: Id | None = None
    text: Text | None = None
    thread_ts: Ts | None = None
    channel_type: Short | None = None
    subtype: Short | None = None
    bot_id: Id | None = None
    bot_profile: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _has_text(self) -> QuestionEvent:
        # A person's message always has text (maybe ""): null text is not a question.
        if self.text is None and (self.type == "app_mention" or (self.user and not self.subtype)):
            raise ValueError("a message from a person without text")
        return self


class AssistantThread(_Model):
    channel_id: Id
    thread_ts: Ts
    context: dict[str, Any] | None = None


class AssistantThreadEvent(_Model):
    type: Literal["assistant_thread_started", "assistant_thread_context_changed"]
    assistant_thread: AssistantThread


class PublishedView(_Model):
    """The Home tab as last published, which Slack sends back with app_home_opened: its
    private_metadata holds the language it is in (home_blocks.py)."""

    private_metadata: Metadata | None = None


class HomeOpened(_Model):
    type: Literal["app_home_opened"]
    user: Id
    channel: Id | None = None
    tab: Short | None = None
    view: PublishedView | None = None


class OtherEvent(_Model):
    """An event type no listener reads: acknowledged, and Bolt finds nothing to run."""

    type: Short


EVENT_MODELS: dict[str, type[_Model]] = {
    "app_mention": QuestionEvent,
    "message": QuestionEvent,
    "assistant_thread_started": AssistantThreadEvent,
    "assistant_thread_context_changed": AssistantThreadEvent,
    "app_home_opened": HomeOpened,
}


class Authorization(_Model):
    team_id: Id | None = None
    enterprise_id: Id | None = None


class EventEnvelope(_Model):
    type: Literal["event_callback"]
    event_id: Id
    team_id: Id | None = None
    api_app_id: Id | None = None
    enterprise_id: Id | None = None
    authorizations: list[Authorization] | None = Field(default=None, max_length=10)
    event: dict[str, Any]  # checked by read(), with the model for its type


def question_event(event: dict[str, Any]) -> QuestionEvent:
    """A recorded event, read again by the worker (a job from an older version is checked too).
    Raises ValidationError."""
    return QuestionEvent.model_validate(event)


# ----------------------------------------------------------------------------- interactions


class Label(_Model):
    text: Short = ""


class Action(_Model):
    action_id: Short
    type: Short | None = None
    block_id: Short | None = None
    value: ButtonValue | None = None
    text: Label | None = None  # the button's label


class Container(_Model):
    type: Short | None = None
    channel_id: Id | None = None
    message_ts: Ts | None = None
    thread_ts: Ts | None = None


class ClickedMessage(_Model):
    ts: Ts | None = None
    thread_ts: Ts | None = None


class Team(_Model):
    id: Id | None = None


class Click(_Model):
    """A block_actions payload: one button clicked (Slack sends one action per click)."""

    type: Literal["block_actions"]
    user: _Named
    actions: list[Action] = Field(min_length=1, max_length=25)
    team: Team | None = None
    api_app_id: Id | None = None
    trigger_id: Short | None = None
    response_url: Url | None = None
    channel: _Named | None = None
    container: Container | None = None
    message: ClickedMessage | None = None

    @property
    def action(self) -> Action:
        return self.actions[0]

    @property
    def value(self) -> str:
        return self.action.value or ""

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def channel_id(self) -> str | None:
        if self.channel:
            return self.channel.id
        return self.container.channel_id if self.container else None

    @property
    def thread_ts(self) -> str | None:
        return self.message.thread_ts if self.message else None

    @property
    def in_message(self) -> bool:
        return bool(self.container and self.container.type == "message")


_ANSWER_ID: TypeAdapter[str] = TypeAdapter(AnswerId)


def stored_answer_id(value: str) -> str | None:
    """A button value read as a stored answer's id (the Whole card button), None if it is not
    one: such a value is never looked up."""
    try:
        return _ANSWER_ID.validate_python(value)
    except ValidationError:
        return None


class InputValue(_Model):
    value: Text | None = None


class ViewState(_Model):
    values: dict[Short, dict[Short, InputValue]] = Field(default_factory=dict)


class View(_Model):
    type: Short  # Bolt reads view["type"] of every submission (a workflow step or not)
    callback_id: Short
    private_metadata: Metadata = ""
    state: ViewState = Field(default_factory=ViewState)


class Submission(_Model):
    """A view_submission (or view_closed) payload."""

    type: Literal["view_submission", "view_closed"]
    user: _Named
    view: View
    team: Team | None = None
    api_app_id: Id | None = None

    def input(self, block_id: str, action_id: str) -> str:
        found = self.view.state.values.get(block_id, {}).get(action_id)
        return (found.value if found else None) or ""


# ----------------------------------------------------------------------------- commands


class SlashCommand(_Model):
    """A slash command (a form, every field a string)."""

    command: Command
    text: Text = ""
    user_id: Id
    channel_id: Id | None = None
    team_id: Id | None = None
    api_app_id: Id | None = None
    response_url: Url
    trigger_id: Short | None = None


class UrlVerification(_Model):
    type: Literal["url_verification"]
    challenge: Short


class RateLimitNotice(_Model):
    """Slack telling the app it dropped events (app_rate_limited): nothing to do but ack."""

    type: Literal["app_rate_limited"]


PAYLOAD_MODELS: dict[str, type[_Model]] = {
    "event_callback": EventEnvelope,
    "block_actions": Click,
    "view_submission": Submission,
    "view_closed": Submission,
    "url_verification": UrlVerification,
    "app_rate_limited": RateLimitNotice,
}

Payload = EventEnvelope | Click | Submission | SlashCommand | UrlVerification | RateLimitNotice


class Unreadable(Exception):
    """Not a payload this app handles; `reason` is short and holds none of the payload; `kind`
    is the metric's reason (metrics.ignored)."""

    def __init__(self, reason: str, kind: str = "unreadable") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


def read(body: Any) -> Payload:
    """The validated payload of a parsed request body (Bolt's parse of the same bytes)."""
    return checked(body)[0]


def checked(body: Any) -> tuple[Payload, Envelope]:
    """The validated payload of a parsed request body, and its envelope: what Bolt will read of
    it. Raises Unreadable."""
    if not isinstance(body, dict):
        raise Unreadable(f"a JSON {type(body).__name__}, not an object")
    envelope: Envelope = _validated(Envelope, body, "envelope")  # type: ignore[assignment]
    if "command" in body and "type" not in body:
        return _validated(SlashCommand, body, "slash command"), envelope  # type: ignore[return-value]
    kind = body.get("type")
    model = PAYLOAD_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise Unreadable("an unknown payload type")
    payload = _validated(model, body, str(kind))
    if isinstance(payload, EventEnvelope):
        event_type = str(payload.event.get("type"))  # a string: the envelope says so
        _validated(EVENT_MODELS.get(event_type, OtherEvent), payload.event, "event")
    return payload, envelope  # type: ignore[return-value]


def _validated(model: type[_Model], body: dict[str, Any], what: str) -> _Model:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise Unreadable(f"a malformed {what}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """Where and how a payload failed, without its values (they may be huge or hostile)."""
    first = exc.errors(include_input=False, include_url=False, include_context=False)[0]
    where = ".".join(str(part) for part in first["loc"])[:80] or "body"
    return f"{where} ({first['type']}){' and more' if exc.error_count() > 1 else ''}"
