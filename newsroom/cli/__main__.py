"""`python -m newsroom.cli`: the command line without the installed `newsroom` script."""

from newsroom.cli import main

main()
