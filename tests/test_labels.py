"""Label selectors: cases ported from apimachinery pkg/labels/selector_test.go, plus the error
messages a learner sees from ``kubectl get -l`` and the LabelSelector object rules."""

import pytest

from k8snb.api.labels import (
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    EVERYTHING,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    NOTHING,
    Requirement,
    Selector,
    SelectorError,
    format_label_selector,
    new_requirement,
    parse_selector,
    selector_from_label_selector,
    selector_from_set,
    validate_labels,
)
from k8snb.api.labels import _Lexer as Lexer

VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NAME_PART_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)

# --- TestSelectorParse / TestDeterministicParse ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"],
)
def test_good_selectors_print_back_without_spaces(text):
    assert str(parse_selector(text)) == text.replace(" ", "")


@pytest.mark.parametrize("text", ["x=a||y=b", "x==a==b", "!x=a", "x<a"])
def test_bad_selectors_are_rejected(text):
    with pytest.raises(SelectorError):
        parse_selector(text)


def test_parse_sorts_requirements_by_key():
    assert str(parse_selector("x=a,a=x")) == str(parse_selector("a=x,x=a")) == "a=x,x=a"


# --- TestSelectorMatches / TestSetMatches ----------------------------------------------------


@pytest.mark.parametrize(
    "text, labels",
    [
        ("", {"x": "y"}),
        ("x=y", {"x": "y"}),
        ("x=y,z=w", {"x": "y", "z": "w"}),
        ("x!=y,z!=w", {"x": "z", "z": "a"}),
        ("notin=in", {"notin": "in"}),  # 'in' and 'notin' are plain words in exact matches
        ("x", {"x": "z"}),
        ("!x", {"y": "z"}),
        ("x>1", {"x": "2"}),
        ("x<1", {"x": "0"}),
        ("foo=bar", {"foo": "bar", "baz": "blah"}),
        ("baz=blah", {"foo": "bar", "baz": "blah"}),
        ("foo=bar,baz=blah", {"foo": "bar", "baz": "blah"}),
    ],
)
def test_selector_matches(text, labels):
    assert parse_selector(text).matches(labels)


@pytest.mark.parametrize(
    "text, labels",
    [
        ("x=z", {}),
        ("x=y", {"x": "z"}),
        ("x=y,z=w", {"x": "w", "z": "w"}),
        ("x!=y,z!=w", {"x": "z", "z": "w"}),
        ("x", {"y": "z"}),
        ("!x", {"x": "z"}),
        ("x>1", {"x": "0"}),
        ("x<1", {"x": "2"}),
        ("foo=blah", {"foo": "bar", "baz": "blah"}),
        ("baz=bar", {"foo": "bar", "baz": "blah"}),
        ("foo=bar,foobar=bar,baz=blah", {"foo": "bar", "baz": "blah"}),
    ],
)
def test_selector_does_not_match(text, labels):
    assert not parse_selector(text).matches(labels)


@pytest.mark.parametrize(
    "selector", [{}, {"foo": "bar"}, {"baz": "blah"}, {"foo": "bar", "baz": "blah"}]
)
def test_set_selector_matches(selector):
    assert selector_from_set(selector).matches({"foo": "bar", "baz": "blah"})


def test_set_selector_is_sorted_and_empty_set_is_everything():
    assert str(selector_from_set({"app": "foo", "a": "b"})) == "a=b,app=foo"
    assert selector_from_set({}).empty() and selector_from_set(None).empty()
    assert not selector_from_set({"app": "foo"}).matches({"app": "bar"})


def test_everything_and_nothing():
    assert EVERYTHING.matches({"x": "y"}) and EVERYTHING.empty()
    assert Selector.empty().matches({"anything": "at all"})
    assert not NOTHING.matches({}) and not NOTHING.matches({"x": "y"})
    assert not NOTHING.empty()
    assert str(NOTHING) == ""


def test_missing_labels_count_as_no_labels():
    assert parse_selector("!x").matches(None)
    assert parse_selector("x!=a").matches(None)
    assert not parse_selector("x").matches(None)
    assert not parse_selector("x=a").matches(None)
    assert not parse_selector("x=a,y=b").matches(None)


# --- TestLexer / TestLexerSequence -----------------------------------------------------------


def _tokens(text):
    lexer, out = Lexer(text), []
    while True:
        tok, lit = lexer.lex()
        if tok == 1:  # end of string
            return out
        out.append(lit)


@pytest.mark.parametrize(
    "text", [",", "notin", "in", "=", "==", ">", "<", "!", "!=", "(", ")", "~", "||"]
)
def test_lexer_returns_the_longest_token(text):
    assert _tokens(text) == [text]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("key in ( value )", ["key", "in", "(", "value", ")"]),
        ("key notin ( value )", ["key", "notin", "(", "value", ")"]),
        ("key in ( value1, value2 )", ["key", "in", "(", "value1", ",", "value2", ")"]),
        ("!key", ["!", "key"]),
        ("()", ["(", ")"]),
        ("x in (),y", ["x", "in", "(", ")", ",", "y"]),
        ("== != (), = notin", ["==", "!=", "(", ")", ",", "=", "notin"]),
        ("key>2", ["key", ">", "2"]),
        ("key<1", ["key", "<", "1"]),
    ],
)
def test_lexer_sequence(text, tokens):
    assert _tokens(text) == tokens


# --- TestRequirementConstructor / TestToString / TestRequirementSelectorMatching ------------


@pytest.mark.parametrize(
    "key, op, values, ok",
    [
        ("x", IN, None, False),
        ("x", NOT_IN, [], False),
        ("x", IN, ["foo"], True),
        ("x", NOT_IN, ["foo"], True),
        ("x", EXISTS, None, True),
        ("x", DOES_NOT_EXIST, None, True),
        ("1foo", IN, ["bar"], True),
        ("1234", IN, ["bar"], True),
        ("y", GREATER_THAN, ["1"], True),
        ("z", LESS_THAN, ["6"], True),
        ("foo", GREATER_THAN, ["bar"], False),
        ("barz", LESS_THAN, ["blah"], False),
        ("a" * 254, EXISTS, None, False),  # breaks the 63-character name part rule
    ],
)
def test_requirement_constructor(key, op, values, ok):
    if ok:
        assert new_requirement(key, op, values).key == key
    else:
        with pytest.raises(SelectorError):
            new_requirement(key, op, values)


def test_requirement_constructor_messages():
    with pytest.raises(SelectorError) as e:
        new_requirement("x", IN, [])
    assert (
        str(e.value)
        == "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"
    )
    with pytest.raises(SelectorError) as e:
        new_requirement("x", EXISTS, ["a"])
    assert str(e.value) == (
        'values: Invalid value: ["a"]: values set must be empty for exists and does not exist'
    )
    with pytest.raises(SelectorError) as e:
        new_requirement("x", "~", ["a"])
    assert str(e.value) == (
        'operator: Unsupported value: "~": supported values: '
        '"in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'
    )
    with pytest.raises(SelectorError) as e:
        new_requirement("bad key", EQUALS, ["a b"])
    assert str(e.value) == (
        f'[key: Invalid value: "bad key": {NAME_PART_MSG}, '
        f'values[0][bad key]: Invalid value: "a b": {VALUE_MSG}]'
    )


@pytest.mark.parametrize(
    "reqs, text",
    [
        (
            [("x", IN, ["abc", "def"]), ("y", NOT_IN, ["jkl"]), ("z", EXISTS, [])],
            "x in (abc,def),y notin (jkl),z",
        ),
        (
            [("x", NOT_IN, ["abc", "def"]), ("y", NOT_EQUALS, ["jkl"]), ("z", DOES_NOT_EXIST, [])],
            "x notin (abc,def),y!=jkl,!z",
        ),
        (
            [("x", NOT_IN, ["abc"]), ("y", IN, ["jkl", "mno"]), ("z", NOT_IN, [""])],
            "x notin (abc),y in (jkl,mno),z notin ()",
        ),
        (
            [
                ("x", EQUALS, ["abc"]),
                ("y", DOUBLE_EQUALS, ["jkl"]),
                ("z", NOT_EQUALS, ["a"]),
                ("z", EXISTS, []),
            ],
            "x=abc,y==jkl,z!=a,z",
        ),
        ([("x", GREATER_THAN, ["2"]), ("y", LESS_THAN, ["8"]), ("z", EXISTS, [])], "x>2,y<8,z"),
    ],
)
def test_to_string(reqs, text):
    assert str(Selector(new_requirement(*r) for r in reqs)) == text


def test_requirement_values_print_sorted_but_are_kept_in_order():
    req = Requirement("x", IN, ["b", "a"])
    assert str(req) == "x in (a,b)"
    assert req.values == ("b", "a")
    key, op, values = req
    assert (key, op, values) == ("x", IN, ("b", "a"))


@pytest.mark.parametrize(
    "labels, reqs, match",
    [
        ({"x": "foo", "y": "baz"}, [("x", IN, ["foo"]), ("y", NOT_IN, ["alpha"])], True),
        ({"x": "foo", "y": "baz"}, [("x", IN, ["foo"]), ("y", IN, ["alpha"])], False),
        ({"y": ""}, [("x", NOT_IN, [""]), ("y", EXISTS, [])], True),
        ({"y": ""}, [("x", DOES_NOT_EXIST, []), ("y", EXISTS, [])], True),
        ({"y": ""}, [("x", NOT_IN, [""]), ("y", DOES_NOT_EXIST, [])], False),
        ({"y": "baz"}, [("x", IN, [""])], False),
        ({"z": "2"}, [("z", GREATER_THAN, ["1"])], True),
        ({"z": "v2"}, [("z", GREATER_THAN, ["1"])], False),  # not an integer: never matches
    ],
)
def test_requirement_selector_matching(labels, reqs, match):
    assert Selector(new_requirement(*r) for r in reqs).matches(labels) is match


def test_gt_lt_parse_label_values_as_go_parseint_does():
    sel = parse_selector("gen>5")
    assert sel.matches({"gen": "+6"})
    assert not sel.matches({"gen": " 6"})
    assert not sel.matches({"gen": "6_0"})
    assert not sel.matches({"gen": "99999999999999999999"})  # overflows int64
    assert parse_selector("gen<0").matches({"gen": "-3"})
    assert not sel.matches({})


# --- TestSetSelectorParser ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("\rx", [("x", EXISTS, ())]),
        (
            "this-is-a-dns.domain.com/key-with-dash",
            [("this-is-a-dns.domain.com/key-with-dash", EXISTS, ())],
        ),
        (
            "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            [("this-is-another-dns.domain.com/key-with-dash", IN, ("so", "what"))],
        ),
        (
            "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            [("0.1.2.domain/99", NOT_IN, ("10.10.100.1", "tick.tack.clock"))],
        ),
        ("foo  in\t (abc)", [("foo", IN, ("abc",))]),
        ("x notin\n (abc)", [("x", NOT_IN, ("abc",))]),
        ("x  notin\t\t\t(abc,def)", [("x", NOT_IN, ("abc", "def"))]),
        ("x in (abc,def)", [("x", IN, ("abc", "def"))]),
        ("x in (abc,)", [("x", IN, ("", "abc"))]),
        ("x in ()", [("x", IN, ("",))]),
        (
            "x notin (abc,,def),bar,z in (),w",
            [
                ("bar", EXISTS, ()),
                ("w", EXISTS, ()),
                ("x", NOT_IN, ("", "abc", "def")),
                ("z", IN, ("",)),
            ],
        ),
        ("x=a", [("x", EQUALS, ("a",))]),
        ("x>1", [("x", GREATER_THAN, ("1",))]),
        ("x<7", [("x", LESS_THAN, ("7",))]),
        ("x=a,y!=b", [("x", EQUALS, ("a",)), ("y", NOT_EQUALS, ("b",))]),
        (
            "x=a,y!=b,z in (h,i,j)",
            [("x", EQUALS, ("a",)), ("y", NOT_EQUALS, ("b",)), ("z", IN, ("h", "i", "j"))],
        ),
        ("x notin ( )", [("x", NOT_IN, ("",))]),
        ("x notin (, a)", [("x", NOT_IN, ("", "a"))]),
        ("a ", [("a", EXISTS, ())]),
        ("x,y", [("x", EXISTS, ()), ("y", EXISTS, ())]),
        ("a in (x,y,notin, z,in)", [("a", IN, ("in", "notin", "x", "y", "z"))]),
    ],
)
def test_set_selector_parser(text, expected):
    assert [tuple(r) for r in parse_selector(text).requirements] == expected


@pytest.mark.parametrize(
    "text",
    [
        "x=a||y=b",
        ",x,y",
        "x nott in (y)",
        "a in (xyz),",
        "a in (xyz)b notin ()",
        "a in (xyz abc)",
        "a notin(",
        "a (",
        "(",
    ],
)
def test_set_selector_parser_rejects(text):
    with pytest.raises(SelectorError):
        parse_selector(text)


# --- the messages learners see --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "app:monolith",
            f'unable to parse requirement: <nil>: Invalid value: "app:monolith": {NAME_PART_MSG}',
        ),
        ("app=a b", "found 'b', expected: ',' or 'end of string'"),
        (
            "x=a||y=b",
            f'unable to parse requirement: values[0][x]: Invalid value: "a||y": {VALUE_MSG}',
        ),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        (
            "x<a",
            "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        ("x,,y", "found ',', expected: identifier after ','"),
        (",x", "found ',', expected: !, identifier, or 'end of string'"),
        ("a in (xyz),", "found '', expected: identifier after ','"),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"),
        ("a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("x in (a,,)", "unable to parse requirement: found ')', expected: ',', or identifier"),
    ],
)
def test_error_messages_match_the_api_server(text, message):
    with pytest.raises(SelectorError) as e:
        parse_selector(text)
    assert str(e.value) == message


def test_empty_and_duplicate_values_in_sets():
    assert parse_selector("x in (a,,b)").requirements[0].values == ("", "a", "b")
    assert parse_selector("x in (a,a,b)").requirements[0].values == ("a", "b")
    assert parse_selector("x in (,)").requirements[0].values == ("",)


def test_requires_exact_match():
    sel = parse_selector("app=web,tier in (a,b),x in (y)")
    assert sel.requires_exact_match("app") == "web"
    assert sel.requires_exact_match("tier") is None
    assert sel.requires_exact_match("x") == "y"
    assert sel.requires_exact_match("other") is None


def test_add_keeps_sorting():
    sel = parse_selector("b=1").add(new_requirement("a", EXISTS))
    assert str(sel) == "a,b=1"


# --- LabelSelector objects (metav1.LabelSelectorAsSelector) ----------------------------------


def test_nil_label_selector_matches_nothing_and_empty_matches_everything():
    assert selector_from_label_selector(None) is NOTHING
    assert selector_from_label_selector({}).matches({"a": "b"})
    assert selector_from_label_selector({"matchLabels": {}, "matchExpressions": []}).empty()


def test_label_selector_ands_labels_and_expressions():
    sel = selector_from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["front", "back"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "env", "operator": "NotIn", "values": ["dev"]},
                {"key": "team", "operator": "Exists"},
            ],
        }
    )
    assert str(sel) == "app=web,!canary,env notin (dev),team,tier in (back,front)"
    assert sel.matches({"app": "web", "tier": "back", "team": "a"})
    assert not sel.matches({"app": "web", "tier": "back", "team": "a", "canary": "1"})
    assert not sel.matches({"app": "web", "tier": "back", "team": "a", "env": "dev"})
    assert not sel.matches({"app": "web", "tier": "mid", "team": "a"})


def test_label_selector_errors_as_upstream():
    with pytest.raises(SelectorError) as e:
        selector_from_label_selector(
            {"matchExpressions": [{"key": "x", "operator": "Gt", "values": ["1"]}]}
        )
    assert str(e.value) == '"Gt" is not a valid pod selector operator'
    with pytest.raises(SelectorError) as e:
        selector_from_label_selector({"matchExpressions": [{"key": "x", "operator": "In"}]})
    assert (
        str(e.value)
        == "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
    )
    with pytest.raises(SelectorError) as e:
        selector_from_label_selector(
            {"matchExpressions": [{"key": "x", "operator": "Exists", "values": ["a"]}]}
        )
    assert "values set must be empty for exists and does not exist" in str(e.value)
    with pytest.raises(SelectorError) as e:
        selector_from_label_selector({"matchLabels": {"app": "a b"}})
    assert str(e.value) == f'values[0][app]: Invalid value: "a b": {VALUE_MSG}'


def test_format_label_selector_as_kubectl_prints():
    assert format_label_selector({"matchLabels": {"app": "web"}}) == "app=web"
    assert format_label_selector({}) == "<none>"
    assert format_label_selector(None) == "<none>"
    assert (
        format_label_selector({"matchExpressions": [{"key": "x", "operator": "Bad"}]}) == "<error>"
    )


# --- metadata.labels validation ----------------------------------------------------------------


def test_validate_labels_reports_at_the_labels_path():
    assert validate_labels({"app": "web", "example.com/tier": ""}) == []
    assert validate_labels({"app": "a b"}) == [("", f'Invalid value: "a b": {VALUE_MSG}')]
    assert validate_labels({"bad key": "x"}) == [("", f'Invalid value: "bad key": {NAME_PART_MSG}')]
    issues = validate_labels({"app": "x" * 64})
    assert issues[0] == (
        "",
        'Invalid value: "' + "x" * 64 + '": must be no more than 63 characters',
    )
    assert validate_labels(None) == []
