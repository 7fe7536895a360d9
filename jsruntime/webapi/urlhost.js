// Hosts of the URL Standard: domains, opaque hosts, IPv4 and IPv6.
// Domain-to-ASCII is simplified: lower-casing and Punycode, without the full
// UTS #46 mapping table.

const forbiddenHost = /[\u0000\t\n\r #/:<>?@[\\\]^|]/;
const forbiddenDomain = /[\u0000-\u001f #%/:<>?@[\\\]^|\u007f]/;

function parseHost(input, isOpaque) {
  if (input[0] === "[") {
    if (input[input.length - 1] !== "]") return FAILURE;
    const a = parseIPv6(input.slice(1, -1));
    return a === FAILURE ? FAILURE : "[" + serializeIPv6(a) + "]";
  }
  if (isOpaque) {
    if (forbiddenHost.test(input)) return FAILURE;
    return pctEncodeString(input, inC0);
  }
  const domain = pctDecodeString(input);
  const ascii = domainToASCII(domain);
  if (ascii === FAILURE || ascii === "" || forbiddenDomain.test(ascii)) return FAILURE;
  if (endsInNumber(ascii)) {
    const v4 = parseIPv4(ascii);
    if (v4 === FAILURE) return FAILURE;
    return [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join(".");
  }
  return ascii;
}

// domainToASCII approximates UTS #46 ToASCII: NFKC and lower-casing stand in
// for the mapping table; non-ASCII labels are Punycode-encoded and "xn--"
// labels must decode.
function domainToASCII(domain) {
  let d = domain.toLowerCase();
  if (/[^\u0000-\u007f]/.test(d)) {
    // Ignored code points (soft hyphen, zero width joiners, ...) and
    // ideographic full stops, then compatibility mapping.
    d = d.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "").replace(/[\u3002\uff0e\uff61]/g, ".");
    d = d.normalize("NFKC").toLowerCase();
    if (d.includes("\ufffd")) return FAILURE;
  } else if (!d.includes("xn--")) {
    return d;
  }
  const labels = d.split(".");
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label.startsWith("xn--")) {
      const u = punycodeDecode(label.slice(4));
      if (u === FAILURE || u === "" || /^[\u0000-\u007f]*$/.test(u) || u.normalize("NFKC").toLowerCase() !== u) {
        return FAILURE;
      }
    } else if (/[^\u0000-\u007f]/.test(label)) {
      labels[i] = "xn--" + punycodeEncode(label);
    }
  }
  return labels.join(".");
}

// punycodeDecode is RFC 3492's decoder; it returns FAILURE on bad input.
function punycodeDecode(input) {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const out = [];
  let n = 128, i = 0, bias = 72;
  let b = input.lastIndexOf("-");
  if (b < 0) b = 0;
  for (let j = 0; j < b; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return FAILURE;
    out.push(c);
  }
  const adapt = (delta, numPoints, first) => {
    let k = 0;
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
  };
  for (let p = b > 0 ? b + 1 : 0; p < input.length; ) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (p >= input.length) return FAILURE;
      const c = input.charCodeAt(p++);
      const digit = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : base;
      if (digit >= base) return FAILURE;
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (w > 0x7fffffff) return FAILURE;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return FAILURE;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

// punycodeEncode is RFC 3492's encoder.
function punycodeEncode(input) {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const cps = Array.from(input, (c) => c.codePointAt(0));
  let n = 128, delta = 0, bias = 72;
  let out = "";
  for (const c of cps) if (c < 0x80) out += String.fromCharCode(c);
  const b = out.length;
  let h = b;
  if (b > 0) out += "-";
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  const adapt = (delta, numPoints, first) => {
    let k = 0;
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
  };
  while (h < cps.length) {
    let m = Infinity;
    for (const c of cps) if (c >= n && c < m) m = c;
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (base - t)));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function endsInNumber(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== "" && digitsRe.test(last)) return true;
  return hexNumberRe.test(last);
}

function parseIPv4Number(s) {
  if (s === "") return FAILURE;
  let r = 10;
  if (s.length >= 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X")) {
    s = s.slice(2);
    r = 16;
  } else if (s.length >= 2 && s[0] === "0") {
    s = s.slice(1);
    r = 8;
  }
  if (s === "") return 0;
  const ok = r === 10 ? /^[0-9]+$/ : r === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
  if (!ok.test(s)) return FAILURE;
  return parseInt(s, r);
}

function parseIPv4(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const nums = [];
  for (const p of parts) {
    const n = parseIPv4Number(p);
    if (n === FAILURE) return FAILURE;
    nums.push(n);
  }
  for (let i = 0; i < nums.length - 1; i++) if (nums[i] > 255) return FAILURE;
  if (nums[nums.length - 1] >= 256 ** (5 - nums.length)) return FAILURE;
  let v = nums[nums.length - 1];
  for (let i = 0; i < nums.length - 1; i++) v += nums[i] * 256 ** (3 - i);
  return v;
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const cps = Array.from(input);
  if (cps[p] === ":") {
    if (cps[1] !== ":") return FAILURE;
    p += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (cps[p] !== undefined) {
    if (pieceIndex === 8) return FAILURE;
    if (cps[p] === ":") {
      if (compress !== null) return FAILURE;
      p++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHexDigit(cps[p])) {
      value = value * 16 + parseInt(cps[p], 16);
      p++;
      length++;
    }
    if (cps[p] === ".") {
      if (length === 0) return FAILURE;
      p -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (cps[p] !== undefined) {
        let piece = null;
        if (numbersSeen > 0) {
          if (cps[p] === "." && numbersSeen < 4) p++;
          else return FAILURE;
        }
        if (!isDigit(cps[p])) return FAILURE;
        while (isDigit(cps[p])) {
          const n = cps[p].charCodeAt(0) - 48;
          if (piece === null) piece = n;
          else if (piece === 0) return FAILURE;
          else piece = piece * 10 + n;
          if (piece > 255) return FAILURE;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (cps[p] === ":") {
      p++;
      if (cps[p] === undefined) return FAILURE;
    } else if (cps[p] !== undefined) {
      return FAILURE;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return FAILURE;
  }
  return address;
}

function serializeIPv6(a) {
  // The first longest run of two or more zero pieces is compressed.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (a[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && a[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = "";
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && a[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    out += a[i].toString(16);
    if (i !== 7) out += ":";
  }
  return out;
}
