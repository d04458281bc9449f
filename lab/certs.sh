# Certificates of the lab, made with openssl into $1 (sourced by lab/run; needs lab_names and
# lab_resolvers from sites.sh).
#   ca/lab-root.pem      the lab's "publicly trusted" root: the probe and the control trust it (--trust-ca)
#   sites.pem/.key       the websites' certificate (every lab name), from the lab root
#   expired.pem/.key     expired.test: valid in 2020 only, from the lab root (down for everyone)
#   resolvers.pem/.key   the resolvers abroad (DoH, DoT: unbound in bwlab-resolvers), from the lab
#                        root: every name of lab_resolvers and its address (dot://IP:853 checks it)
#   qaznet-chain.pem/.key  the censor's interception: leaf <- "C=KZ, CN=Security Certificate" <-
#                        "C=KZ, CN=Qaznet Trust Network", named like the 2019 Kazakh chain; the leaf
#                        has an RSA key with exponent 3 and starts six hours back, as that one did.

lab_make_certs() {
    local dir="$1"
    mkdir -p "$dir/ca"
    (
        cd "$dir/ca"
        cat > ca.cnf <<'CNF'
[ ca ]
default_ca = lab
[ lab ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
countryName = optional
CNF
        : > index.txt
        echo 1000 > serial
        root() { # name subject
            openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 -subj "$2" \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
                -addext subjectKeyIdentifier=hash 2>/dev/null
        }
        # issuer name subject start end extfile [key options...]
        sign() {
            local issuer="$1" name="$2" subject="$3" start="$4" end="$5" ext="$6"
            shift 6
            openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "$@" -out "$name.key" 2>/dev/null
            openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
            openssl ca -batch -config ca.cnf -cert "$issuer.pem" -keyfile "$issuer.key" -in "$name.csr" -out "$name.pem" \
                -preserveDN -startdate "$start" -enddate "$end" -extfile "$ext" -notext 2>/dev/null
        }
        at() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

        root lab-root "/O=blockwatch lab/CN=blockwatch lab root CA"
        root qaznet-root "/C=KZ/CN=Qaznet Trust Network"

        local sans="" n
        for n in $lab_names; do sans="$sans${sans:+,}DNS:$n"; done
        printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n' \
            "$sans" > leaf.ext
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > intermediate.ext

        sign lab-root sites "/CN=open.test" "$(at '-1 day')" "$(at '+90 days')" leaf.ext
        local rsans
        rsans="$(echo "$lab_resolvers" | awk 'NF { printf "%sDNS:%s,IP:%s", (n++ ? "," : ""), $1, $2 }')"
        printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n' \
            "$rsans" > resolvers.ext
        sign lab-root resolvers "/CN=resolver-open.test" "$(at '-1 day')" "$(at '+90 days')" resolvers.ext
        printf 'subjectAltName=DNS:expired.test\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' > expired.ext
        sign lab-root expired "/CN=expired.test" 20200101000000Z 20210101000000Z expired.ext
        sign qaznet-root security-certificate "/C=KZ/CN=Security Certificate" "$(at '-1 day')" "$(at '+365 days')" intermediate.ext
        printf 'subjectAltName=DNS:qaznet.test\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' > qaznet.ext
        sign security-certificate qaznet "/CN=qaznet.test" "$(at '-6 hours')" "$(at '+30 days')" qaznet.ext -pkeyopt rsa_keygen_pubexp:3
    ) || { echo "lab: making the certificates failed" >&2; return 1; }
    cp "$dir/ca/sites.pem" "$dir/ca/sites.key" "$dir/ca/expired.pem" "$dir/ca/expired.key" "$dir/ca/qaznet.key" \
        "$dir/ca/resolvers.pem" "$dir/ca/resolvers.key" "$dir/"
    # unbound runs as nobody: its key (a lab key, for the lab only) must be readable.
    chmod 644 "$dir/resolvers.key"
    cat "$dir/ca/qaznet.pem" "$dir/ca/security-certificate.pem" > "$dir/qaznet-chain.pem"
}
