#!/usr/bin/env python3
"""Generates flow-core's information element tables and the Logstash codec's field-name table.

Inputs
  iana-ipfix-information-elements.tsv   (beside this script) the IANA IPFIX registry: id, name, abstract data type
  <corpus>/logstash/ipfix.yaml          the Logstash netflow codec's IPFIX definitions (enterprise -> id -> [type, name])
  <corpus>/logstash/netflow.yaml        the codec's NetFlow v9 definitions (field type -> [type, name])

Outputs (under flow-core/src/main/resources/dev/sluice/core/)
  ie/information-elements.tsv           IPFIX elements: enterprise, id, name, abstract data type
                                        (IANA, RFC 5103 reverse elements under PEN 29305, and every vendor element
                                        of ipfix.yaml)
  ie/netflow-v9-elements.tsv            NetFlow v9 field types IANA does not define (vendor types of netflow.yaml):
                                        id, the codec's name, abstract data type
  layout/logstash-fields.tsv            the codec's names and types: table (v9 | v9scope | ipfix), enterprise, id,
                                        name, codec type; skip entries have an empty name and the type "skip"

Usage: python3 flow-core/src/build/generate_information_elements.py [--corpus DIR]
DIR defaults to the shared corpus beside the project's root (../shared/corpus). Needs PyYAML.
"""

import argparse
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(os.path.dirname(HERE))          # flow-core
PROJECT = os.path.dirname(MODULE)                         # the repository root
RESOURCES = os.path.join(MODULE, "src", "main", "resources", "dev", "sluice", "core")

REVERSE_PEN = 29305  # RFC 5103 section 6.1

# The abstract data types flow-core's DataType enum has, by their IANA names.
DATA_TYPES = {
    "octetArray", "unsigned8", "unsigned16", "unsigned32", "unsigned64", "signed8", "signed16", "signed32",
    "signed64", "float32", "float64", "boolean", "macAddress", "string", "dateTimeSeconds", "dateTimeMilliseconds",
    "dateTimeMicroseconds", "dateTimeNanoseconds", "ipv4Address", "ipv6Address", "basicList", "subTemplateList",
    "subTemplateMultiList",
}

# IANA types DataType does not have yet: unsigned256 (RFC 9740) is carried as an octet array, which keeps every bit.
IANA_TYPE_FALLBACK = {"unsigned256": "octetArray"}

# The codec's type symbols -> abstract data type. Anything else (octetarray, skip, acl_id_asa, application_id,
# mpls_label_stack_octets, ...) is an octet array. An integer N means "unsigned, N bytes unless the template says".
CODEC_TYPES = {
    "uint8": "unsigned8", "uint15": "unsigned16", "uint16": "unsigned16", "uint24": "unsigned32",
    "uint32": "unsigned32", "uint64": "unsigned64",
    "int8": "signed8", "int16": "signed16", "int32": "signed32", "int64": "signed64",
    "ip4_addr": "ipv4Address", "ip6_addr": "ipv6Address", "mac_addr": "macAddress", "string": "string",
    "float": "float32", "double": "float64", "forwarding_status": "unsigned8",
}
UNSIGNED_BY_BYTES = {1: "unsigned8", 2: "unsigned16", 3: "unsigned32", 4: "unsigned32", 8: "unsigned64"}

# The codec names options-template scope fields of NetFlow v9 in code (NETFLOW9_SCOPES in netflow.rb), not in
# netflow.yaml; their values are unsigned integers of the field's length ("uint" here).
V9_SCOPES = {1: "scope_system", 2: "scope_interface", 3: "scope_line_card", 4: "scope_netflow_cache",
             5: "scope_template"}


def symbol(value):
    """A yaml value of the codec (':uint8', ':skip', 4, 'TrafficType') as a plain string."""
    text = str(value)
    return text[1:] if text.startswith(":") else text


def codec_entry(definition):
    """(name, codec type) of one codec definition; name is '' for skip entries."""
    if not isinstance(definition, list) or not definition:
        raise ValueError(f"bad codec definition {definition!r}")
    codec_type = symbol(definition[0])
    if codec_type == "skip":
        return "", "skip"
    if len(definition) != 2:
        raise ValueError(f"bad codec definition {definition!r}")
    return symbol(definition[1]), codec_type


def data_type_of_codec(codec_type):
    if codec_type.isdigit():
        return UNSIGNED_BY_BYTES.get(int(codec_type), "octetArray")
    return CODEC_TYPES.get(codec_type, "octetArray")


def read_iana(path):
    iana = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("elementId\t"):
                continue
            element_id, name, data_type = line.split("\t")
            data_type = IANA_TYPE_FALLBACK.get(data_type, data_type)
            if data_type not in DATA_TYPES:
                raise ValueError(f"IANA {element_id} {name}: unknown data type {data_type}")
            element_id = int(element_id)
            if element_id in iana:
                raise ValueError(f"IANA id {element_id} twice")
            iana[element_id] = (name, data_type)
    return iana


def reverse_name(name):
    return "reverse" + name[0].upper() + name[1:]


def build_ipfix_elements(iana, ipfix_yaml):
    """{(enterprise, id): (name, data type)} for IPFIX."""
    elements = {(0, i): v for i, v in iana.items()}
    # RFC 5103: the reverse counterpart of every IANA element; the codec's names are the same where it has them.
    for i, (name, data_type) in iana.items():
        elements[(REVERSE_PEN, i)] = (reverse_name(name), data_type)
    for enterprise, table in ipfix_yaml.items():
        for element_id, definition in table.items():
            name, codec_type = codec_entry(definition)
            key = (enterprise, element_id)
            if enterprise == 0:
                if not name:
                    continue
                if element_id not in iana:
                    raise ValueError(f"ipfix.yaml names IANA element {element_id} {name} the IANA table lacks")
                if iana[element_id][0] != name:
                    print(f"note: IANA {element_id} is {iana[element_id][0]}, the codec says {name}", file=sys.stderr)
                continue
            if enterprise == REVERSE_PEN:
                if name and key in elements and elements[key][0] != name:
                    raise ValueError(f"reverse {element_id}: codec {name} vs {elements[key][0]}")
                if element_id in iana or not name:
                    continue
            if not name:
                continue
            elements[key] = (name, data_type_of_codec(codec_type))
    return elements


def build_v9_elements(iana, netflow_yaml):
    """{id: (name, data type)} for the v9 field types of netflow.yaml that IANA does not define."""
    out = {}
    for field_type, definition in netflow_yaml.items():
        name, codec_type = codec_entry(definition)
        if not name or field_type in iana:
            continue
        out[field_type] = (name, data_type_of_codec(codec_type))
    return out


def write_tsv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header:
            f.write(f"# {line}\n")
        for row in rows:
            for cell in row:
                if "\t" in str(cell) or "\n" in str(cell):
                    raise ValueError(f"tab or newline in {row!r}")
            f.write("\t".join(str(c) for c in row) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(PROJECT), "shared", "corpus"))
    args = parser.parse_args()
    logstash = os.path.join(args.corpus, "logstash")
    with open(os.path.join(logstash, "ipfix.yaml"), encoding="utf-8") as f:
        ipfix_yaml = yaml.safe_load(f)
    with open(os.path.join(logstash, "netflow.yaml"), encoding="utf-8") as f:
        netflow_yaml = yaml.safe_load(f)
    iana = read_iana(os.path.join(HERE, "iana-ipfix-information-elements.tsv"))

    generated = "Generated by flow-core/src/build/generate_information_elements.py; do not edit by hand."
    ipfix = build_ipfix_elements(iana, ipfix_yaml)
    write_tsv(os.path.join(RESOURCES, "ie", "information-elements.tsv"),
              [generated, "enterprise\telementId\tname\tdataType (IANA abstract data type name)"],
              [(e, i, n, t) for (e, i), (n, t) in sorted(ipfix.items())])

    v9 = build_v9_elements(iana, netflow_yaml)
    write_tsv(os.path.join(RESOURCES, "ie", "netflow-v9-elements.tsv"),
              [generated, "NetFlow v9 field types IANA does not define, named as the Logstash codec names them.",
               "fieldType\tname\tdataType"],
              [(i, n, t) for i, (n, t) in sorted(v9.items())])

    rows = []
    for field_type, definition in sorted(netflow_yaml.items()):
        rows.append(("v9", 0, field_type) + codec_entry(definition))
    for scope_type, name in sorted(V9_SCOPES.items()):
        rows.append(("v9scope", 0, scope_type, name, "uint"))
    for enterprise, table in sorted(ipfix_yaml.items()):
        for element_id, definition in sorted(table.items()):
            rows.append(("ipfix", enterprise, element_id) + codec_entry(definition))
    write_tsv(os.path.join(RESOURCES, "layout", "logstash-fields.tsv"),
              [generated, "Field names and types of the Logstash netflow codec (netflow.yaml, ipfix.yaml, and the",
               "v9 scope names of netflow.rb). An integer type means unsigned of the field's length; 'uint' the same",
               "for scope fields; 'skip' (empty name) means the codec leaves the field out of its events.",
               "table\tenterprise\tid\tname\tcodecType"],
              rows)

    vendor = sum(1 for (e, _) in ipfix if e != 0)
    print(f"IANA elements: {len(iana)}; vendor IPFIX elements: {vendor} "
          f"(of which reverse PEN {REVERSE_PEN}: {sum(1 for (e, _) in ipfix if e == REVERSE_PEN)}); "
          f"v9-only elements: {len(v9)}; codec names: "
          f"{sum(1 for r in rows if r[0] == 'v9' and r[3])} v9, {len(V9_SCOPES)} v9 scope, "
          f"{sum(1 for r in rows if r[0] == 'ipfix' and r[3])} ipfix (+{sum(1 for r in rows if not r[3])} skip)")


if __name__ == "__main__":
    main()
