"""Manual roster management: classes, pupils, guardians and teachers of one school.

``db`` is ``school_session(school_id)``; every function takes the caller's :class:`Viewer` (from
:func:`viewer`): school admins manage everything, teachers read their own classes, anyone else nothing.
"""

from ogp_app.services.roster_admin.access import RosterDuplicate, RosterRowMissing, Viewer, viewer
from ogp_app.services.roster_admin.classes import (
    ClassNotEmpty,
    ClassRow,
    list_classes,
    save_class,
    set_class_archived,
)
from ogp_app.services.roster_admin.guardians import (
    GuardianRow,
    HouseholdOption,
    households,
    list_guardians,
    save_guardian,
    set_guardian_archived,
)
from ogp_app.services.roster_admin.pupils import (
    MEETING_MODES,
    PupilInput,
    PupilRow,
    list_pupils,
    save_pupil,
    set_pupil_archived,
)
from ogp_app.services.roster_admin.teachers import (
    Assignment,
    TeacherRow,
    list_teachers,
    save_teacher,
    set_teacher_archived,
)

__all__ = [
    "MEETING_MODES",
    "Assignment",
    "ClassNotEmpty",
    "ClassRow",
    "GuardianRow",
    "HouseholdOption",
    "PupilInput",
    "PupilRow",
    "RosterDuplicate",
    "RosterRowMissing",
    "TeacherRow",
    "Viewer",
    "households",
    "list_classes",
    "list_guardians",
    "list_pupils",
    "list_teachers",
    "save_class",
    "save_guardian",
    "save_pupil",
    "save_teacher",
    "set_class_archived",
    "set_guardian_archived",
    "set_pupil_archived",
    "set_teacher_archived",
    "viewer",
]
