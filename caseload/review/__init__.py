"""Manager review: the board (columns, board) and the service figures, computed in the database
by a fixed number of grouped queries."""
