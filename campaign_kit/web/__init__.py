"""The web app (`campaign-kit serve`): the same kinds, templates and writers as the CLI,
behind plain HTML forms. app.py holds the pages, forms.py the fields and their checks,
places.py the place step, security.py forgery tokens, rate limit and headers, server.py
gunicorn."""
