"""Python side of the interop tests, with PyJWT + cryptography (what a Python back end already uses).

    pyjwt_tool.py keygen KID                     -> prints {"private": jwk, "public": jwk}
    pyjwt_tool.py sign PRIVATE_JWK_JSON CLAIMS_JSON  -> prints a compact EdDSA token (typ rolegate+jwt)
    pyjwt_tool.py verify JWKS_JSON TOKEN AUD     -> prints the verified claims, or exits 3
"""
import json
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def keygen(kid):
    key = Ed25519PrivateKey.generate()
    private = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key))
    public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    private["kid"] = public["kid"] = kid
    print(json.dumps({"private": private, "public": public}))


def sign(private_jwk, claims):
    jwk = json.loads(private_jwk)
    key = jwt.PyJWK.from_dict(jwk, algorithm="EdDSA")
    headers = {"typ": "rolegate+jwt", "kid": jwk["kid"]}
    print(jwt.encode(json.loads(claims), key.key, algorithm="EdDSA", headers=headers))


def verify(jwks, token, aud):
    keys = {k["kid"]: k for k in json.loads(jwks)["keys"]}
    header = jwt.get_unverified_header(token)
    if header.get("kid") not in keys:
        print("unknown kid", file=sys.stderr)
        sys.exit(3)
    key = jwt.PyJWK.from_dict(keys[header["kid"]], algorithm="EdDSA")
    try:
        claims = jwt.decode(token, key.key, algorithms=["EdDSA"], audience=aud)
    except jwt.InvalidTokenError as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(3)
    print(json.dumps({"typ": header.get("typ"), "claims": claims}))


if __name__ == "__main__":
    {"keygen": keygen, "sign": sign, "verify": verify}[sys.argv[1]](*sys.argv[2:])
