from .courses import (
    AttendanceForm,
    CohortForm,
    CourseForm,
    EnrolExistingForm,
    EnrolStaffForm,
    EnrolTraineeForm,
    ExternalEquivalentForm,
    InviteForm,
    ModuleCompletionForm,
    ModuleForm,
    SessionForm,
    TraineeForm,
    WithdrawConsentForm,
)
from .mandatory import CompletionForm, MatrixFilterForm, SubjectForm, WithdrawCompletionForm

__all__ = [
    "AttendanceForm",
    "CohortForm",
    "CompletionForm",
    "CourseForm",
    "EnrolExistingForm",
    "EnrolStaffForm",
    "EnrolTraineeForm",
    "ExternalEquivalentForm",
    "InviteForm",
    "MatrixFilterForm",
    "ModuleCompletionForm",
    "ModuleForm",
    "SessionForm",
    "SubjectForm",
    "TraineeForm",
    "WithdrawCompletionForm",
    "WithdrawConsentForm",
]
from .conduct import AcknowledgeForm, CodeVersionForm

__all__ += ["AcknowledgeForm", "CodeVersionForm"]
