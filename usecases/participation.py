"""Taking part in a survey: open the link, answer step by step, write the suggestion, submit.

Every rule of a participant's turn is here: one turn per person at a time, the participant key
in place of the person, a stale press shows where the person really is, a closed window takes
nothing, one ballot per person. The outcomes are data; `bot/participant.py` draws them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conversations.anonymity import keyer_key, participant_key
from conversations.engine import Draft, Press, Survey
from conversations.errors import AlreadySubmitted, NotExpectingText, StaleStep, SurveyError, WindowClosed
from conversations.questionnaire import QuestionKind
from conversations.records import Window
from conversations.slips import slip_check, slip_key
from conversations.tally import released_count
from usecases.events import BatchReleased, Events, RoomOverfilled
from usecases.locks import KeyedLocks
from usecases.ports import ParticipantStore, SlipStore, WindowSecrets, WindowStore


@dataclass(frozen=True, slots=True)
class Account:
    """A Telegram account taking part: its id, which no file keeps (a keyed hash stands for it)."""

    user_id: int


@dataclass(frozen=True, slots=True)
class SlipHolder:
    """Whoever holds a ballot slip (一人一码): its canonical code, which no file keeps either."""

    code: str


Respondent = Account | SlipHolder


@dataclass(frozen=True, slots=True)
class NoSuchWindow:
    """The link or button names no survey window."""


@dataclass(frozen=True, slots=True)
class Ended:
    """The window is closed: nothing more is taken."""

    window: Window


@dataclass(frozen=True, slots=True)
class TookPart:
    """The person has already submitted a ballot for the window."""

    window: Window


@dataclass(frozen=True, slots=True)
class Welcome:
    """A first visit: the unit, the anonymity notice and a button to begin."""

    window: Window


@dataclass(frozen=True, slots=True)
class Shown:
    """The person is on this step of the form (`stale`: their press was for an older one)."""

    window: Window
    draft: Draft
    resumed: bool = False
    stale: bool = False


@dataclass(frozen=True, slots=True)
class Unchanged:
    """The press asked for what the form already holds (a doubled tap): nothing changed."""


@dataclass(frozen=True, slots=True)
class NoDraft:
    """A press on a form that was discarded or never begun."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """The ballot is stored; the person's answers are no longer shown anywhere."""

    window: Window


@dataclass(frozen=True, slots=True)
class Refused:
    """The form refuses the press or text; nothing changed."""

    reason: SurveyError


@dataclass(frozen=True, slots=True)
class NeedsSlip:
    """The unit admits holders of its ballot slips only: a slip's code is needed first."""

    window: Window


@dataclass(frozen=True, slots=True)
class NoSurvey:
    """Text from someone with no unfinished form at all."""


LinkOutcome = NoSuchWindow | Ended | TookPart | Welcome | Shown | NeedsSlip
PressOutcome = NoSuchWindow | Ended | Shown | Unchanged | NoDraft | Submitted | Refused | NeedsSlip
TextOutcome = NoSurvey | Ended | Shown | Refused
_Turn = Callable[[Window, bytes, Draft | None], Awaitable[PressOutcome]]


class BallotBox:
    """Where every ballot goes in, whichever way it came: checked, stored once, released in batches."""

    def __init__(self, participants: ParticipantStore, survey: Survey, events: Events) -> None:
        self.participants = participants
        self.survey = survey
        self.events = events

    async def submit(self, window: Window, key: bytes, draft: Draft) -> int:
        """Store the draft's ballot under this key (once); return the window's ballot count.

        Raise Incomplete or StaleStep for a draft that is not a complete form on its review,
        AlreadySubmitted for a key that has voted and WindowClosed for a closed window.
        """
        ballot = self.survey.ballot(draft)
        # A person takes part once; a keyer enters many paper forms, each once (its draft goes).
        count = await self.participants.submit(key, window.id, ballot, register=not ballot.paper)
        room = window.room
        if window.frozen is None and room is not None and count - 1 <= room < count:
            await self.events.publish(RoomOverfilled(window))  # said at once, before any figure moves
            return count
        before = released_count(count - 1, min_group=window.min_group, is_open=True)
        if released_count(count, min_group=window.min_group, is_open=True) != before:
            await self.events.publish(BatchReleased(window))
        return count


class Participation:
    """A participant's side of the survey, one turn per person at a time.

    With `paper`, the same turns key in paper forms: the form is the keyer's current paper form
    (its rows may be spoiled), submitting puts it in the same ballot box, and the next one starts
    afresh. Who may key a unit is decided before (`usecases.keying`).
    """

    def __init__(  # noqa: PLR0913 - the stores, the form, and which kind of form it is
        self,
        windows: WindowStore,
        participants: ParticipantStore,
        survey: Survey,
        secrets: WindowSecrets,
        ballot_box: BallotBox,
        *,
        slips: SlipStore,
        paper: bool = False,
    ) -> None:
        self.windows = windows
        self.participants = participants
        self.slips = slips
        self.survey = survey
        self.secrets = secrets
        self.ballot_box = ballot_box
        self.paper = paper
        self.locks = KeyedLocks()

    def key(self, window_id: int, who: Respondent) -> bytes:
        """Return the key that stands for this person, slip or paper form in this window."""
        secret = self.secrets.secret(window_id)
        if isinstance(who, SlipHolder):
            return slip_key(secret, window_id, who.code)
        derive = keyer_key if self.paper else participant_key
        return derive(secret, window_id, who.user_id)

    async def open_link(self, token: str, user_id: int) -> LinkOutcome:
        """Say what a deep link shows this person: welcome, their step, or why not."""
        window = await self.windows.window_by_token(token)
        if window is None:
            return NoSuchWindow()
        if not window.is_open:
            return Ended(window)
        who = Account(user_id)
        key = self.key(window.id, who)
        submitted, draft = await self.participants.participant(window.id, key)
        if submitted:
            return TookPart(window)
        if draft is None and window.slips and not await self.slips.admitted(window.id, key):
            return NeedsSlip(window)
        return Welcome(window) if draft is None else Shown(window, draft, resumed=True)

    async def begin(self, who: Respondent, window_id: int) -> PressOutcome:
        """Start the form (or show where it stands, if begun already).

        In a slips unit an account begins once a slip let it in; a slip begins by being spent
        (its keyed hash removed), so it cannot also let an account in.
        """

        async def begin(window: Window, key: bytes, draft: Draft | None) -> PressOutcome:
            if draft is None and window.slips and not self.paper and not await self._let_in(window, key, who):
                return NeedsSlip(window)
            return await self._begin(window, key, draft)

        return await self._turn(who, window_id, begin)

    async def press(self, who: Respondent, window_id: int, press: Press) -> PressOutcome:
        """Apply a button press to the person's form and save it."""

        async def apply(window: Window, key: bytes, draft: Draft | None) -> PressOutcome:
            if draft is None:
                return NoDraft()
            try:
                updated = self.survey.apply(draft, press)
            except StaleStep:
                # An old button (a double tap, or a redraw that never arrived): show where they are.
                return Shown(window, draft, stale=True)
            if updated == draft:
                return Unchanged()
            await self.participants.save_draft(key, window.id, updated)
            return Shown(window, updated)

        return await self._turn(who, window_id, apply)

    async def submit(self, who: Respondent, window_id: int) -> PressOutcome:
        """Submit the reviewed form as an anonymous ballot."""

        async def submit(window: Window, key: bytes, draft: Draft | None) -> PressOutcome:
            if draft is None:
                return NoDraft()
            try:
                await self.ballot_box.submit(window, key, draft)
            except StaleStep:
                return Shown(window, draft, stale=True)
            return Submitted(window)

        return await self._turn(who, window_id, submit)

    async def write_on(self, who: Respondent, window_id: int, text: str) -> PressOutcome:
        """Write the suggestion of this form (on its free-text step), as the web's text page does."""

        async def write(window: Window, key: bytes, draft: Draft | None) -> PressOutcome:
            if draft is None:
                return NoDraft()
            updated = self.survey.write(draft, text)
            await self.participants.save_draft(key, window.id, updated)
            return Shown(window, updated)

        return await self._turn(who, window_id, write)

    async def write(self, user_id: int, text: str) -> TextOutcome:
        """Take a text message as the suggestion of the person's form on its free-text step."""
        found = await self._drafts_of(user_id)
        on_text_step = [
            (window, key)
            for window, key, draft in found
            if (question := self.survey.current_question(draft)) is not None
            and question.kind is QuestionKind.TEXT
        ]
        if not on_text_step:
            return Refused(NotExpectingText()) if found else NoSurvey()
        window, key = on_text_step[0]
        async with self.locks.hold(key):
            try:
                draft = await self.participants.draft(key)
                if draft is None:
                    raise NotExpectingText
                updated = self.survey.write(draft, text)
                await self.participants.save_draft(key, window.id, updated)
            except WindowClosed:
                return Ended(window)
            except SurveyError as error:
                return Refused(error)
        return Shown(window, updated)

    async def cancel(self, user_id: int) -> bool:
        """Discard every unfinished form of this person; return False if there was none."""
        discarded = False
        for _window, key, _draft in await self._drafts_of(user_id):
            async with self.locks.hold(key):
                discarded = await self.participants.delete_draft(key) or discarded
        return discarded

    async def _let_in(self, window: Window, key: bytes, who: Respondent) -> bool:
        """Return True if a slip lets this respondent begin: a slip spent now, or an account it let in."""
        if isinstance(who, SlipHolder):
            check = slip_check(self.secrets.secret(window.id), window.id, who.code)
            return await self.slips.spend_slip(window.id, check)
        return await self.slips.admitted(window.id, key)

    async def _begin(self, window: Window, key: bytes, draft: Draft | None) -> PressOutcome:
        if draft is None:
            draft = self.survey.start(paper=self.paper)
            await self.participants.save_draft(key, window.id, draft)
        return Shown(window, draft)

    async def _turn(self, who: Respondent, window_id: int, step: _Turn) -> PressOutcome:
        """Run one step of this person's turn on the window: under their lock, refused once submitted."""
        window = await self.windows.window(window_id)
        if window is None:
            return NoSuchWindow()
        if not window.is_open:
            return Ended(window)
        if isinstance(who, SlipHolder) and not window.slips:
            return NoSuchWindow()
        key = self.key(window.id, who)
        async with self.locks.hold(key):
            try:
                submitted, draft = await self.participants.participant(window.id, key)
                if submitted:
                    raise AlreadySubmitted
                return await step(window, key, draft)
            except WindowClosed:
                return Ended(window)
            except SurveyError as error:
                return Refused(error)

    async def _drafts_of(self, user_id: int) -> list[tuple[Window, bytes, Draft]]:
        """Find this person's drafts by computing their key for each open window."""
        windows = {window.id: window for window in await self.windows.open_windows()}
        keys = {self.key(window_id, Account(user_id)): window_id for window_id in windows}
        return [
            (windows[window_id], key, draft) for window_id, key, draft in await self.participants.drafts(keys)
        ]
