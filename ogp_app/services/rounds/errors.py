"""What can go wrong when setting up or booking; each names the message a person sees."""

from ogp_app.services.errors import DomainError, InvalidInput


class RoundNotFound(DomainError):
    message_key = "rounds.error.round_not_found"


class SlotNotFound(DomainError):
    message_key = "rounds.error.slot_not_found"


class BookingNotFound(DomainError):
    message_key = "rounds.error.booking_not_found"


class SlotTaken(DomainError):
    """Someone else's insert won the race for this slot: pick another."""

    message_key = "rounds.error.slot_taken"


class AlreadyBooked(DomainError):
    """This pupil (household) already has a conversation with this teacher in this round."""

    message_key = "rounds.error.already_booked"


class BookingWindowClosed(DomainError):
    message_key = "rounds.error.window_closed"


class CancelDeadlinePassed(DomainError):
    message_key = "rounds.error.cancel_deadline"


class FamilyGapConflict(DomainError):
    """Too close to (or overlapping) another conversation of the same family."""

    message_key = "rounds.error.family_gap"


class RoundInvalid(InvalidInput):
    """A round's set-up is inconsistent; message_key names the field."""

    message_key = "rounds.error.invalid"
