"""The review web app (`adcraft review`, docs/review.md): analysts approve, reject and edit a batch, then
publish it.

app: FastAPI and error pages · routes: pages and actions · auth: logins, roles, CSRF · users: the users file
· pages: what each page reads · actions: what each action writes · rescore: checks on an edited line ·
store: warehouse connections · settings: ADCRAFT_REVIEW_* settings.
"""
