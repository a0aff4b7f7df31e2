//! JSON-LD to RDF and RDFC-1.0 canonical N-Quads.

use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};

use crate::contexts;

#[derive(Debug, thiserror::Error)]
pub enum RdfError {
    #[error("the document is not valid JSON-LD: {0}")]
    JsonLd(String),
    #[error("the document cannot be canonicalized: {0}")]
    Canon(String),
}

/// Where contexts come from: a function from URL to document.
pub type Loader = fn(&str) -> Option<&'static str>;

/// The canonical N-Quads (RDFC-1.0) of a JSON-LD document, with contexts
/// from [`contexts::embedded`].
pub fn canonical(doc: &serde_json::Value) -> Result<String, RdfError> {
    canonical_with(doc, contexts::embedded)
}

/// As [`canonical`], with contexts from `loader` (tests use the W3C
/// examples context this way).
pub fn canonical_with(doc: &serde_json::Value, loader: Loader) -> Result<String, RdfError> {
    let bytes = serde_json::to_vec(doc).map_err(|e| RdfError::JsonLd(e.to_string()))?;
    let mut quads = Vec::new();
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(move |url, _| {
            let document = loader(url)
                .ok_or_else(|| format!("unknown context {url}: only embedded contexts are used"))?;
            Ok(JsonLdRemoteDocument {
                document: document.as_bytes().to_vec(),
                document_url: url.into(),
            })
        });
    for quad in parser {
        let quad = quad.map_err(|e| RdfError::JsonLd(e.to_string()))?;
        quads.push(convert::quad(&quad).map_err(RdfError::JsonLd)?);
    }
    rdf_canon::canonicalize_quads(&quads).map_err(|e| RdfError::Canon(e.to_string()))
}

/// oxjsonld speaks oxrdf 0.3 and rdf-canon oxrdf 0.2: terms are copied
/// across by value.
mod convert {
    use oxrdf as a;
    use oxrdf02 as b;

    fn named(n: &a::NamedNode) -> Result<b::NamedNode, String> {
        b::NamedNode::new(n.as_str()).map_err(|e| e.to_string())
    }

    fn blank(n: &a::BlankNode) -> Result<b::BlankNode, String> {
        b::BlankNode::new(n.as_str()).map_err(|e| e.to_string())
    }

    fn literal(l: &a::Literal) -> Result<b::Literal, String> {
        if let Some(lang) = l.language() {
            return b::Literal::new_language_tagged_literal(l.value(), lang)
                .map_err(|e| e.to_string());
        }
        Ok(b::Literal::new_typed_literal(
            l.value(),
            named(&l.datatype().into_owned())?,
        ))
    }

    fn subject(s: &a::NamedOrBlankNode) -> Result<b::Subject, String> {
        Ok(match s {
            a::NamedOrBlankNode::NamedNode(n) => named(n)?.into(),
            a::NamedOrBlankNode::BlankNode(n) => blank(n)?.into(),
        })
    }

    fn term(t: &a::Term) -> Result<b::Term, String> {
        Ok(match t {
            a::Term::NamedNode(n) => named(n)?.into(),
            a::Term::BlankNode(n) => blank(n)?.into(),
            a::Term::Literal(l) => literal(l)?.into(),
            #[allow(unreachable_patterns)]
            _ => return Err("RDF-star terms are not supported".into()),
        })
    }

    fn graph(g: &a::GraphName) -> Result<b::GraphName, String> {
        Ok(match g {
            a::GraphName::NamedNode(n) => named(n)?.into(),
            a::GraphName::BlankNode(n) => blank(n)?.into(),
            a::GraphName::DefaultGraph => b::GraphName::DefaultGraph,
        })
    }

    pub fn quad(q: &a::Quad) -> Result<b::Quad, String> {
        Ok(b::Quad::new(
            subject(&q.subject)?,
            named(&q.predicate)?,
            term(&q.object)?,
            graph(&q.graph_name)?,
        ))
    }
}
