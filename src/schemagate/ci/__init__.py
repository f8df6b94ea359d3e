"""The steps of the GitHub Action in `action.yml`, as modules run with `python -m`."""
