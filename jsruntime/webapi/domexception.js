// DOMException (workerd api/basics.c++), and domError, which the other areas
// use to throw one.

// DOMException is made on first use (it is thrown rarely).
const loadDOMException = lazyClass("DOMException", () => {
  const domExceptionCodes = {
    IndexSizeError: 1,
    DOMStringSizeError: 2,
    HierarchyRequestError: 3,
    WrongDocumentError: 4,
    InvalidCharacterError: 5,
    NoDataAllowedError: 6,
    NoModificationAllowedError: 7,
    NotFoundError: 8,
    NotSupportedError: 9,
    InUseAttributeError: 10,
    InvalidStateError: 11,
    SyntaxError: 12,
    InvalidModificationError: 13,
    NamespaceError: 14,
    InvalidAccessError: 15,
    ValidationError: 16,
    TypeMismatchError: 17,
    SecurityError: 18,
    NetworkError: 19,
    AbortError: 20,
    URLMismatchError: 21,
    QuotaExceededError: 22,
    TimeoutError: 23,
    InvalidNodeTypeError: 24,
    DataCloneError: 25,
  };

  const domExceptionConstants = {
    INDEX_SIZE_ERR: 1,
    DOMSTRING_SIZE_ERR: 2,
    HIERARCHY_REQUEST_ERR: 3,
    WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5,
    NO_DATA_ALLOWED_ERR: 6,
    NO_MODIFICATION_ALLOWED_ERR: 7,
    NOT_FOUND_ERR: 8,
    NOT_SUPPORTED_ERR: 9,
    INUSE_ATTRIBUTE_ERR: 10,
    INVALID_STATE_ERR: 11,
    SYNTAX_ERR: 12,
    INVALID_MODIFICATION_ERR: 13,
    NAMESPACE_ERR: 14,
    INVALID_ACCESS_ERR: 15,
    VALIDATION_ERR: 16,
    TYPE_MISMATCH_ERR: 17,
    SECURITY_ERR: 18,
    NETWORK_ERR: 19,
    ABORT_ERR: 20,
    URL_MISMATCH_ERR: 21,
    QUOTA_EXCEEDED_ERR: 22,
    TIMEOUT_ERR: 23,
    INVALID_NODE_TYPE_ERR: 24,
    DATA_CLONE_ERR: 25,
  };

  class DOMException extends Error {
    #name;
    #message;
    constructor(message = "", options = "Error") {
      const msg = String(message);
      super(msg);
      this.#message = msg;
      if (isObject(options)) {
        this.#name = options.name === undefined ? "Error" : String(options.name);
        if ("cause" in options) {
          Object.defineProperty(this, "cause", {
            value: options.cause,
            writable: true,
            configurable: true,
          });
        }
      } else {
        this.#name = String(options);
      }
      // Error's constructor made an own "message"; the spec has a getter.
      delete this.message;
    }
    // While Error's constructor runs (super() above) the fields are not
    // set yet: the stack's header is made later, on first read.
    get name() {
      const ready = #name in this;
      if (!ready && this instanceof DOMException) return "Error";
      return this.#name;
    }
    get message() {
      const ready = #message in this;
      if (!ready && this instanceof DOMException) return "";
      return this.#message;
    }
    get code() {
      return domExceptionCodes[this.#name] ?? 0;
    }
  }
  for (const [k, v] of Object.entries(domExceptionConstants)) {
    Object.defineProperty(DOMException, k, { value: v, enumerable: true });
    Object.defineProperty(DOMException.prototype, k, { value: v, enumerable: true });
  }
  exposeClass(DOMException);
  return DOMException;
});

const domError = (message, name) => new (loadDOMException())(message, name);
