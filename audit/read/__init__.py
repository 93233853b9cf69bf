"""Reading: the only place a user's file is opened. Whatever comes out is fully checked and
parsed (every problem of a file reported at once, as ``path:line``)."""
