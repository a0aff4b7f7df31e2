//! Exclusive XML Canonicalization 1.0 without comments
//! (<http://www.w3.org/2001/10/xml-exc-c14n#>), of one element and what it
//! holds, optionally leaving one descendant out (the enveloped signature).
//!
//! roxmltree resolves names to namespace URIs; prefixes are read from the
//! original text at each name's position, since the canonical form keeps
//! them. Attribute values arrive normalized by the parser, as
//! canonicalization expects.

use std::collections::BTreeMap;

use roxmltree::{Node, NodeId};

/// The canonical form of `node`, leaving out `exclude` and everything in
/// it; `inclusive` are the InclusiveNamespaces PrefixList (`#default` for
/// the default namespace).
pub fn canonicalize(node: Node<'_, '_>, exclude: Option<NodeId>, inclusive: &[String]) -> String {
    let mut out = String::new();
    element(&mut out, node, &BTreeMap::new(), exclude, inclusive);
    out
}

/// The qualified name of an element as written (`saml:Assertion`).
fn element_qname<'a>(node: Node<'_, 'a>) -> &'a str {
    let text = node.document().input_text();
    let start = node.range().start + 1;
    let rest = text.get(start..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

fn element(
    out: &mut String,
    node: Node<'_, '_>,
    rendered: &BTreeMap<String, String>,
    exclude: Option<NodeId>,
    inclusive: &[String],
) {
    let text = node.document().input_text();
    let qname = element_qname(node);
    // The namespaces this element visibly uses: its own prefix, its
    // attributes' prefixes, and those listed as inclusive.
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    used.insert(
        prefix_of(qname).to_string(),
        node.tag_name().namespace().unwrap_or("").to_string(),
    );
    let mut attrs: Vec<(&str, &str, &str, &str)> = Vec::new();
    for a in node.attributes() {
        let aq = text.get(a.range_qname()).unwrap_or(a.name());
        let p = prefix_of(aq);
        if !p.is_empty() && p != "xml" {
            used.insert(p.to_string(), a.namespace().unwrap_or("").to_string());
        }
        attrs.push((a.namespace().unwrap_or(""), a.name(), aq, a.value()));
    }
    for p in inclusive {
        let (key, lookup) = if p == "#default" {
            (String::new(), None)
        } else {
            (p.clone(), Some(p.as_str()))
        };
        if let Some(uri) = node.lookup_namespace_uri(lookup) {
            used.entry(key).or_insert_with(|| uri.to_string());
        }
    }
    let mut context = rendered.clone();
    let mut decls = Vec::new();
    for (p, uri) in used {
        if p == "xml" {
            continue;
        }
        let before = rendered.get(&p).map(String::as_str).unwrap_or("");
        let emit = if p.is_empty() {
            before != uri
        } else {
            rendered.get(&p) != Some(&uri)
        };
        if emit {
            decls.push((p.clone(), uri.clone()));
            context.insert(p, uri);
        }
    }
    attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

    out.push('<');
    out.push_str(qname);
    for (p, uri) in &decls {
        if p.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(p);
            out.push_str("=\"");
        }
        escape_attr(out, uri);
        out.push('"');
    }
    for (_, _, aq, value) in &attrs {
        out.push(' ');
        out.push_str(aq);
        out.push_str("=\"");
        escape_attr(out, value);
        out.push('"');
    }
    out.push('>');
    for child in node.children() {
        if Some(child.id()) == exclude {
            continue;
        }
        if child.is_element() {
            element(out, child, &context, exclude, inclusive);
        } else if child.is_text() {
            escape_text(out, child.text().unwrap_or(""));
        } else if let Some(pi) = child.pi() {
            out.push_str("<?");
            out.push_str(pi.target);
            if let Some(v) = pi.value {
                out.push(' ');
                out.push_str(v);
            }
            out.push_str("?>");
        }
    }
    out.push_str("</");
    out.push_str(qname);
    out.push('>');
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str, path: &[&str], inclusive: &[&str]) -> String {
        let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}"));
        let mut node = doc.root_element();
        for name in path {
            node = node
                .children()
                .find(|c| c.tag_name().name() == *name)
                .unwrap_or_else(|| panic!("no {name}"));
        }
        let inc: Vec<String> = inclusive.iter().map(|s| s.to_string()).collect();
        canonicalize(node, None, &inc)
    }

    #[test]
    fn only_visibly_used_namespaces_are_rendered() {
        // The example of Exclusive XML Canonicalization §2.2, made concrete.
        let xml = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>"#;
        assert_eq!(
            c14n(xml, &["elem2"], &[]),
            r#"<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>"#
        );
        assert_eq!(
            c14n(xml, &["elem2"], &["n3"]),
            r#"<n1:elem2 xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" xml:lang="en"><n3:stuff></n3:stuff></n1:elem2>"#
        );
    }

    #[test]
    fn attributes_are_sorted_and_text_escaped() {
        let xml = "<r xmlns=\"urn:d\" xmlns:b=\"urn:b\" xmlns:a=\"urn:a\"><e z=\"1\" b:y=\"2\" a:y=\"3&#9;&quot;\" x=\"&lt;\">a &amp; b &gt; c&#13;<!-- gone --></e></r>";
        assert_eq!(
            c14n(xml, &["e"], &[]),
            "<e xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" x=\"&lt;\" z=\"1\" a:y=\"3&#x9;&quot;\" b:y=\"2\">a &amp; b &gt; c&#xD;</e>"
        );
    }

    #[test]
    fn an_emptied_default_namespace_is_declared_empty() {
        let xml = r#"<r xmlns="urn:d"><e><f xmlns=""/></e></r>"#;
        assert_eq!(
            c14n(xml, &["e"], &[]),
            r#"<e xmlns="urn:d"><f xmlns=""></f></e>"#
        );
    }
}
