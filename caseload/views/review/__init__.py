"""Manager review pages (SPEC section 5): the board and a worker's person list (board.py), needs
reassignment, reassignment and cover (reassignment.py), and the service figures (figures.py)."""

from .board import board, board_csv, board_xlsx, person_list, person_list_csv, person_list_xlsx
from .figures import figures
from .reassignment import cover_end, cover_list, reassign, reassignment_queue

__all__ = [
    "board",
    "board_csv",
    "board_xlsx",
    "cover_end",
    "cover_list",
    "figures",
    "person_list",
    "person_list_csv",
    "person_list_xlsx",
    "reassign",
    "reassignment_queue",
]
