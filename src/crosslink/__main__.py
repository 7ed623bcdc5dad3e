"""``python -m crosslink`` runs the command line."""

from crosslink.cli import main

main()
