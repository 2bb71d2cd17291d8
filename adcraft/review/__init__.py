"""The review web app (`adcraft review`, docs/review.md): analysts approve, reject and edit a batch, then
publish it.

app: FastAPI, security headers and error pages · routes: pages, login, static files · action_routes: the
actions, for forms and for the page's script · auth: logins, roles, CSRF · sessions: sessions kept on the
server, login limits · users: the users file · pages: what each page reads · cards: a product's card ·
previews: ads as they will run · present: times, reasons and labels for people · actions: what each action
writes · rescore: checks on an edited line · store: warehouse connections.
"""
