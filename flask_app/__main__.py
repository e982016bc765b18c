"""Development server: `python -m flask_app [--host H] [--port P]`. Production: gunicorn (see README)."""

import argparse

from flask_app import create_app

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=5000)
parser.add_argument("--model", help="a .keras model (default: the bundled assets/model.keras)")
args = parser.parse_args()
create_app({"MODEL_PATH": args.model} if args.model else None).run(host=args.host, port=args.port, debug=False)
