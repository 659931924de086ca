//! Date lines: recognise a line that is only a date (and time), and turn it into ISO 8601.
//!
//! News pages print the publication date on a line of its own in many shapes: `12 - Nov - 2024, 04:00`,
//! `Selasa (12/11/2024)`, `12 November 2024 pukul 04.00 WIB`, `Nov 12, 2024`, `2024-11-12T04:00:00Z`.
//! Instead of one regular expression per site, the line is split into numbers, words and punctuation,
//! and a small grammar accepts it only if every word is a month, weekday, filler (`pukul`, `Published`),
//! am/pm or time-zone name from the loaded rule files. A line with any other word is not a date line,
//! which keeps body sentences that mention a date in the text.
//!
//! A UTC offset is written only when the line names a zone (WIB = +07:00, WITA = +08:00, WIT = +09:00,
//! or an explicit `+07:00`): a local time without a zone stays a local time.

use crate::rules::DateWords;

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Num(u32, usize),
    Word(String),
    Punct(char),
}

fn atoms(line: &str) -> Vec<Atom> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut value: u64 = 0;
            while i < chars.len() && chars[i].is_ascii_digit() {
                value = value
                    .saturating_mul(10)
                    .saturating_add(chars[i] as u64 - '0' as u64);
                i += 1;
            }
            out.push(Atom::Num(value.min(u32::MAX as u64) as u32, i - start));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while i < chars.len()
                && (chars[i].is_alphabetic()
                    || ((chars[i] == '\'' || chars[i] == '’')
                        && i + 1 < chars.len()
                        && chars[i + 1].is_alphabetic()))
            {
                word.extend(chars[i].to_lowercase());
                i += 1;
            }
            out.push(Atom::Word(word));
        } else {
            if !c.is_whitespace() {
                out.push(Atom::Punct(c));
            }
            i += 1;
        }
    }
    out
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

fn full_year(value: u32, digits: usize) -> Option<u32> {
    match digits {
        4 if (1900..=2100).contains(&value) => Some(value),
        2 => Some(if value < 70 {
            2000 + value
        } else {
            1900 + value
        }),
        _ => None,
    }
}

fn is_date_sep(a: &Atom) -> bool {
    matches!(a, Atom::Punct('/' | '-' | '.' | '–' | '—'))
}

/// A recognised date line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    /// ISO 8601: `2024-11-12`, `2024-11-12T04:00:00` or `2024-11-12T04:00:00+07:00`.
    pub iso: String,
    /// The line says it is an update (`Updated`, `Diperbarui`), not the publication.
    pub is_update: bool,
}

#[derive(Default)]
struct Parts {
    date: Option<(u32, u32, u32)>,
    time: Option<(u32, u32, u32)>,
    pm: Option<bool>,
    zone: Option<String>,
}

const ORDINALS: &[&str] = &["st", "nd", "rd", "th"];
const UPDATE_WORDS: &[&str] = &[
    "updated",
    "diperbarui",
    "diperbaharui",
    "modified",
    "update",
];

/// Parse a line that consists only of a date, optional weekday, time, zone and filler words.
pub fn parse_date_line(line: &str, words: &DateWords) -> Option<DateLine> {
    if line.len() > 120 {
        return None;
    }
    let lower = line
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    let a = atoms(&lower);
    let mut p = Parts::default();
    let mut is_update = false;
    let mut i = 0;
    let num = |k: usize| match a.get(k) {
        Some(Atom::Num(v, d)) => Some((*v, *d)),
        _ => None,
    };
    let month_at = |k: usize| match a.get(k) {
        Some(Atom::Word(w)) => words.months.get(w.as_str()).copied(),
        _ => None,
    };
    while i < a.len() {
        // ISO and numeric dates: N sep N sep N with one separator.
        if p.date.is_none() {
            if let (Some((x, dx)), Some((y, dy)), Some((z, dz))) = (num(i), num(i + 2), num(i + 4))
            {
                if is_date_sep(&a[i + 1]) && a[i + 1] == a[i + 3] {
                    let date = if dx == 4 {
                        full_year(x, dx)
                            .map(|yr| (yr, y, z))
                            .filter(|_| dy <= 2 && dz <= 2)
                    } else if dx <= 2 && dy <= 2 {
                        full_year(z, dz).map(|yr| {
                            let (d, m) = if words.day_first { (x, y) } else { (y, x) };
                            // An impossible month means the other order.
                            if m > 12 && d <= 12 {
                                (yr, d, m)
                            } else {
                                (yr, m, d)
                            }
                        })
                    } else {
                        None
                    };
                    if let Some(date) = date {
                        p.date = Some(date);
                        i += 5;
                        continue;
                    }
                }
            }
            // Day Month Year: `12 Nov 2024`, `12 - Nov - 2024`, `12th of November, 2024`.
            if let Some((d, dd)) = num(i).filter(|(_, dd)| *dd <= 2) {
                let mut k = i + 1;
                while let Some(atom) = a.get(k) {
                    match atom {
                        Atom::Punct('-' | '/' | '.' | ',' | '–') => k += 1,
                        Atom::Word(w) if ORDINALS.contains(&w.as_str()) || w == "of" => k += 1,
                        _ => break,
                    }
                }
                if let Some(m) = month_at(k) {
                    let mut j = k + 1;
                    while matches!(a.get(j), Some(Atom::Punct('-' | '/' | '.' | ',' | '–'))) {
                        j += 1;
                    }
                    if let Some(yr) = num(j).and_then(|(y, dy)| full_year(y, dy)) {
                        let _ = dd;
                        p.date = Some((yr, m, d));
                        i = j + 1;
                        continue;
                    }
                }
            }
            // Month Day Year: `Nov 12, 2024`, `November 12th 2024`.
            if let Some(m) = month_at(i) {
                let mut k = i + 1;
                while matches!(a.get(k), Some(Atom::Punct('.' | '-'))) {
                    k += 1;
                }
                if let Some((d, _)) = num(k).filter(|(_, dd)| *dd <= 2) {
                    let mut j = k + 1;
                    while let Some(atom) = a.get(j) {
                        match atom {
                            Atom::Punct(',' | '.' | '-') => j += 1,
                            Atom::Word(w) if ORDINALS.contains(&w.as_str()) => j += 1,
                            _ => break,
                        }
                    }
                    if let Some(yr) = num(j).and_then(|(y, dy)| full_year(y, dy)) {
                        p.date = Some((yr, m, d));
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        // Time: `04:00`, `04.00`, `4:00:12`.
        if p.time.is_none() {
            if let (Some((h, dh)), Some(Atom::Punct(sep @ (':' | '.'))), Some((m, 2))) =
                (num(i), a.get(i + 1), num(i + 2))
            {
                if dh <= 2 {
                    let mut s = 0;
                    let mut next = i + 3;
                    if let (Some(Atom::Punct(sep2)), Some((sec, 2))) = (a.get(i + 3), num(i + 4)) {
                        if sep2 == sep {
                            s = sec;
                            next = i + 5;
                        }
                    }
                    p.time = Some((h, m, s));
                    i = next;
                    continue;
                }
            }
        }
        // Explicit offset after the time: `+07:00`, `+0700`, `-05`.
        if p.time.is_some() && p.zone.is_none() {
            if let (Some(Atom::Punct(sign @ ('+' | '-' | '−'))), Some((h, dh))) =
                (a.get(i), num(i + 1))
            {
                let (hours, minutes, next) = match (dh, a.get(i + 2), num(i + 3)) {
                    (2, Some(Atom::Punct(':')), Some((m, 2))) => (h, m, i + 4),
                    (4, _, _) => (h / 100, h % 100, i + 2),
                    (1 | 2, _, _) => (h, 0, i + 2),
                    _ => (99, 0, i + 2),
                };
                if hours <= 14 && minutes < 60 {
                    let sign = if *sign == '+' { '+' } else { '-' };
                    p.zone = Some(format!("{sign}{hours:02}:{minutes:02}"));
                    i = next;
                    continue;
                }
            }
        }
        match &a[i] {
            Atom::Word(w) => {
                if w == "am" || w == "pm" {
                    p.pm = Some(w == "pm");
                } else if let Some(offset) = words.zones.get(w.as_str()) {
                    if p.zone.is_none() {
                        p.zone = Some(offset.clone());
                    }
                } else if w == "t" && p.date.is_some() {
                    // The `T` of an ISO timestamp.
                } else if words.weekdays.contains(w.as_str()) || words.fillers.contains(w.as_str())
                {
                    if UPDATE_WORDS.contains(&w.as_str()) {
                        is_update = true;
                    }
                } else {
                    return None;
                }
            }
            Atom::Punct(c) => {
                if !",()[]|/-–—:.·•".contains(*c) {
                    return None;
                }
            }
            Atom::Num(..) => return None,
        }
        i += 1;
    }

    let (year, month, day) = p.date?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut iso = format!("{year:04}-{month:02}-{day:02}");
    if let Some((mut h, m, s)) = p.time {
        match p.pm {
            Some(true) if h < 12 => h += 12,
            Some(false) if h == 12 => h = 0,
            _ => {}
        }
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        iso.push_str(&format!("T{h:02}:{m:02}:{s:02}"));
        if let Some(zone) = p.zone {
            iso.push_str(&zone);
        }
    }
    Some(DateLine { iso, is_update })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn parse(line: &str) -> Option<String> {
        let rules = Rules::embedded().unwrap();
        parse_date_line(line, &rules.dates).map(|d| d.iso)
    }

    #[test]
    fn indonesian_date_lines() {
        assert_eq!(
            parse("12 - Nov - 2024, 04:00").as_deref(),
            Some("2024-11-12T04:00:00")
        );
        assert_eq!(parse("Selasa (12/11/2024)").as_deref(), Some("2024-11-12"));
        assert_eq!(
            parse("12 November 2024 pukul 04.00 WIB").as_deref(),
            Some("2024-11-12T04:00:00+07:00")
        );
        assert_eq!(
            parse("Selasa, 12 Nov 2024 04:00 WITA").as_deref(),
            Some("2024-11-12T04:00:00+08:00")
        );
        assert_eq!(
            parse("Jum'at, 01/03/2024 19:30 WIT").as_deref(),
            Some("2024-03-01T19:30:00+09:00")
        );
        assert_eq!(
            parse("Diterbitkan: Rabu, 2 Agustus 2023").as_deref(),
            Some("2023-08-02")
        );
    }

    #[test]
    fn english_and_iso_date_lines() {
        assert_eq!(parse("Nov 12, 2024").as_deref(), Some("2024-11-12"));
        assert_eq!(
            parse("Published on November 12th, 2024 at 4:05 p.m. EST").as_deref(),
            Some("2024-11-12T16:05:00-05:00")
        );
        assert_eq!(parse("2024-11-12").as_deref(), Some("2024-11-12"));
        assert_eq!(
            parse("2024-11-12T04:00:00+07:00").as_deref(),
            Some("2024-11-12T04:00:00+07:00")
        );
        assert_eq!(
            parse("2024-11-12T04:00:00Z").as_deref(),
            Some("2024-11-12T04:00:00+00:00")
        );
        assert_eq!(
            parse("Tuesday, 12 November 2024").as_deref(),
            Some("2024-11-12")
        );
    }

    #[test]
    fn updates_are_flagged() {
        let rules = Rules::embedded().unwrap();
        let d = parse_date_line("Diperbarui 13 Nov 2024, 10:00 WIB", &rules.dates).unwrap();
        assert!(d.is_update);
        assert_eq!(d.iso, "2024-11-13T10:00:00+07:00");
    }

    #[test]
    fn sentences_that_mention_dates_are_not_date_lines() {
        assert_eq!(parse("Pada 12 November 2024 presiden berpidato"), None);
        assert_eq!(parse("The deal was signed on Nov 12, 2024."), None);
        assert_eq!(parse("12.000 tentara"), None);
        assert_eq!(parse("04:00"), None, "a time alone is not a date");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse("31/02/2024"), None);
        assert_eq!(parse("2024-13-01"), None);
        assert_eq!(parse("12 Nov 2024 25:00"), None);
    }
}
