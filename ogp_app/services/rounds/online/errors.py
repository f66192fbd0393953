"""What can go wrong with online conversations; each names the message a person sees."""

from ogp_app.services.errors import DomainError, InvalidInput


class VideoUrlInvalid(InvalidInput):
    """Not an https link to a public host (see links.check_video_url)."""

    message_key = "online.error.url"


class VideoServiceMissing(DomainError):
    """A round cannot be online while the school has no way to make links."""

    message_key = "online.error.no_service"


class OnlineChoiceNotOffered(DomainError):
    """The family may only choose where the round (or the teacher) lets families choose."""

    message_key = "online.error.no_choice"


class TeacherNotFound(DomainError):
    """Not a teacher of this school (or of this round): one answer for both."""

    message_key = "online.error.teacher"
