//! The stage interface: a stage takes a batch of documents and judges them in place.
//!
//! This is datatrove's "a step reads documents and yields documents; a filter says keep or why not",
//! with two differences. A stage sees a whole batch (so it can later run over one Arrow record batch from
//! Python without a per-document call), and it never removes a document from the batch: it marks it
//! [`Outcome::Dropped`](crate::document::Outcome) with a reason, so the runner can count and write every
//! rejected record. Stages must be deterministic: the same document always gets the same judgement,
//! whatever thread judges it and whatever else is in its batch.

use rayon::prelude::*;

use crate::document::Document;

pub trait Stage: Send + Sync {
    /// Short stable name, used in `metadata.drop_stage` and the stats.
    fn name(&self) -> &str;

    /// Judge one document. Called only for documents that are still kept.
    fn process(&self, doc: &mut Document);

    /// Judge a batch. The default judges documents in parallel on the current rayon pool; stages that
    /// need the whole batch at once (corpus statistics) override it.
    fn process_batch(&self, docs: &mut [Document]) {
        docs.par_iter_mut()
            .filter(|d| d.is_kept())
            .for_each(|d| self.process(d));
    }
}

/// An ordered list of stages.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn new() -> Self {
        Pipeline::default()
    }

    pub fn with(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }

    pub fn push(&mut self, stage: Box<dyn Stage>) {
        self.stages.push(stage);
    }

    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    pub fn names(&self) -> Vec<&str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    pub fn process_batch(&self, docs: &mut [Document]) {
        for stage in &self.stages {
            stage.process_batch(docs);
        }
    }

    /// One document through every stage, stopping at the stage that drops it.
    pub fn process(&self, doc: &mut Document) {
        for stage in &self.stages {
            if !doc.is_kept() {
                break;
            }
            stage.process(doc);
        }
    }
}
