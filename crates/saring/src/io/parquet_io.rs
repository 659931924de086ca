//! Parquet in and out (arrow-rs).
//!
//! Reading: the text column may be `Utf8`, `LargeUtf8` or `Utf8View` (Ray and Spark hand out `Utf8`);
//! the id column a string or an integer. Every other column goes to metadata through arrow-json, so
//! nested types survive; a `metadata` column holding a JSON string (what saring writes) or a struct
//! (what datatrove writes) is merged into metadata.
//!
//! Writing: `id` and `text` as `Utf8`, and `metadata` as a JSON string, because metadata differs from
//! record to record (a struct column would need one schema for all of them).

use std::fs::File;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression as PqCompression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

use super::input::{merge_metadata, InputFile, InputOptions, RawRecord};
use crate::document::{Document, Provenance, Quarantined};

fn string_at(column: &ArrayRef, row: usize) -> Option<String> {
    if column.is_null(row) {
        return None;
    }
    let any = column.as_any();
    if let Some(a) = any.downcast_ref::<StringArray>() {
        return Some(a.value(row).to_string());
    }
    if let Some(a) = any.downcast_ref::<LargeStringArray>() {
        return Some(a.value(row).to_string());
    }
    if let Some(a) = any.downcast_ref::<StringViewArray>() {
        return Some(a.value(row).to_string());
    }
    None
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Convert one record batch into raw records (documents or quarantined rows).
fn batch_records(
    batch: &RecordBatch,
    file: &InputFile,
    options: &InputOptions,
    first_row: u64,
) -> Result<Vec<RawRecord>, String> {
    let schema = batch.schema();
    let text_index = schema.index_of(&options.text_field).map_err(|_| {
        format!(
            "{}: no column {:?} (columns: {}); name the text column with --text-field",
            file.name,
            options.text_field,
            schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    if !is_string(schema.field(text_index).data_type()) {
        return Err(format!(
            "{}: column {:?} is {}, not a string",
            file.name,
            options.text_field,
            schema.field(text_index).data_type()
        ));
    }
    let text = batch.column(text_index).clone();
    let id_index = schema.index_of(&options.id_field).ok();
    let id = id_index.map(|i| batch.column(i).clone());

    // Everything else to JSON objects, row by row, through arrow-json.
    let rest: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| i != text_index && Some(i) != id_index)
        .collect();
    let mut metadata_rows: Vec<Map<String, Value>> = vec![Map::new(); batch.num_rows()];
    if !rest.is_empty() {
        let projected = batch
            .project(&rest)
            .map_err(|e| format!("{}: {e}", file.name))?;
        let mut buf = Vec::new();
        {
            let mut writer = arrow_json::LineDelimitedWriter::new(&mut buf);
            writer
                .write(&projected)
                .map_err(|e| format!("{}: cannot convert columns: {e}", file.name))?;
            writer.finish().map_err(|e| format!("{}: {e}", file.name))?;
        }
        for (row, line) in buf
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            if let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(line) {
                if let Some(Value::String(s)) = object.get("metadata") {
                    if let Ok(Value::Object(parsed)) = serde_json::from_str::<Value>(s) {
                        object.insert("metadata".into(), Value::Object(parsed));
                    }
                }
                if row < metadata_rows.len() {
                    metadata_rows[row] = merge_metadata(object);
                }
            }
        }
    }

    let mut out = Vec::with_capacity(batch.num_rows());
    for (row, metadata) in metadata_rows.into_iter().enumerate() {
        let index = first_row + row as u64;
        let provenance = Provenance {
            file: file.name.clone(),
            line: None,
            row: Some(index),
            byte_offset: None,
        };
        let Some(body) = string_at(&text, row) else {
            out.push(RawRecord::Bad(Box::new(Quarantined::new(
                "missing-text",
                format!(
                    "{} row {index}: text column {:?} is null",
                    file.name, options.text_field
                ),
                provenance,
            ))));
            continue;
        };
        let doc_id = id
            .as_ref()
            .and_then(|c| string_at(c, row).or_else(|| arrow_cast_int(c, row)))
            .unwrap_or_else(|| format!("{}/{index}", file.name));
        let mut doc = Document::new(doc_id, body, provenance);
        doc.metadata = metadata;
        out.push(RawRecord::Doc(Box::new(doc)));
    }
    Ok(out)
}

/// Integer ids of any width, as text.
fn arrow_cast_int(column: &ArrayRef, row: usize) -> Option<String> {
    use arrow_array::types::*;
    use arrow_array::PrimitiveArray;
    if column.is_null(row) {
        return None;
    }
    let any = column.as_any();
    macro_rules! try_int {
        ($t:ty) => {
            if let Some(a) = any.downcast_ref::<PrimitiveArray<$t>>() {
                return Some(a.value(row).to_string());
            }
        };
    }
    try_int!(Int64Type);
    try_int!(Int32Type);
    try_int!(Int16Type);
    try_int!(Int8Type);
    try_int!(UInt64Type);
    try_int!(UInt32Type);
    try_int!(UInt16Type);
    try_int!(UInt8Type);
    None
}

/// All rows of a Parquet file, as raw records; errors become quarantined records.
pub(crate) fn read_rows(
    file: &InputFile,
    options: &InputOptions,
) -> Box<dyn Iterator<Item = RawRecord> + Send> {
    let bad = |kind: &str, msg: String, row: Option<u64>| {
        RawRecord::Bad(Box::new(Quarantined::new(
            kind,
            msg,
            Provenance {
                file: file.name.clone(),
                line: None,
                row,
                byte_offset: None,
            },
        )))
    };
    let reader = File::open(&file.path)
        .map_err(|e| e.to_string())
        .and_then(|f| ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| e.to_string()))
        .and_then(|b| b.with_batch_size(1024).build().map_err(|e| e.to_string()));
    let reader = match reader {
        Ok(r) => r,
        Err(e) => {
            return Box::new(std::iter::once(bad(
                "unreadable-file",
                format!("{}: not a readable Parquet file: {e}", file.name),
                None,
            )))
        }
    };
    let file = file.clone();
    let options = options.clone();
    let mut row = 0u64;
    let mut failed = false;
    Box::new(
        reader
            .map_while(move |batch| {
                if failed {
                    return None;
                }
                let records = match batch {
                    Ok(batch) => {
                        let n = batch.num_rows() as u64;
                        let records = batch_records(&batch, &file, &options, row);
                        row += n;
                        records
                    }
                    Err(e) => Err(format!(
                        "{}: Parquet data broken after row {row}: {e}",
                        file.name
                    )),
                };
                Some(match records {
                    Ok(r) => r,
                    Err(msg) => {
                        failed = true;
                        vec![RawRecord::Bad(Box::new(Quarantined::new(
                            "corrupt-stream",
                            msg,
                            Provenance {
                                file: file.name.clone(),
                                line: None,
                                row: Some(row),
                                byte_offset: None,
                            },
                        )))]
                    }
                })
            })
            .flatten(),
    )
}

/// Writes documents as Parquet rows: `id`, `text`, `metadata` (JSON string), zstd-compressed.
pub struct ParquetSink {
    writer: Option<ArrowWriter<File>>,
    schema: Arc<Schema>,
    ids: Vec<String>,
    texts: Vec<String>,
    metadata: Vec<String>,
}

impl ParquetSink {
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("text", DataType::Utf8, false),
            Field::new("metadata", DataType::Utf8, false),
        ]));
        let props = WriterProperties::builder()
            .set_compression(PqCompression::ZSTD(
                ZstdLevel::try_new(3).expect("valid level"),
            ))
            .build();
        let file = File::create(path)?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(std::io::Error::other)?;
        Ok(ParquetSink {
            writer: Some(writer),
            schema,
            ids: Vec::new(),
            texts: Vec::new(),
            metadata: Vec::new(),
        })
    }

    pub fn push(&mut self, doc: &Document, metadata: &Map<String, Value>) -> std::io::Result<()> {
        self.ids.push(doc.id.clone());
        self.texts.push(doc.text.clone());
        self.metadata
            .push(serde_json::to_string(metadata).map_err(std::io::Error::other)?);
        if self.ids.len() >= 8192 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.ids.is_empty() {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(std::mem::take(&mut self.ids))),
            Arc::new(StringArray::from(std::mem::take(&mut self.texts))),
            Arc::new(StringArray::from(std::mem::take(&mut self.metadata))),
        ];
        let batch =
            RecordBatch::try_new(self.schema.clone(), columns).map_err(std::io::Error::other)?;
        if let Some(w) = &mut self.writer {
            w.write(&batch).map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    pub fn finish(&mut self) -> std::io::Result<()> {
        self.flush()?;
        if let Some(w) = self.writer.take() {
            w.close().map_err(std::io::Error::other)?;
        }
        Ok(())
    }
}
