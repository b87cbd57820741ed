using System.Globalization;

namespace SbeCore.Updates;

/// <summary>
/// The registry of update rules: the one place a rule is declared. The factory, the CLI's method names and help
/// texts, sweep labels, the C ABI's method check and name look-up, and Python's <c>METHODS</c> all read it, so a new
/// rule is one <see cref="Register"/> call. Thread-safe; readers see an immutable snapshot.
/// </summary>
public static class UpdateRules
{
    private static readonly object s_gate = new();
    private static UpdateRuleInfo[] s_rules = BuiltInRules.All();

    /// <summary>Every registered rule in ascending id order (the built-in rules first, in C ABI order).</summary>
    public static IReadOnlyList<UpdateRuleInfo> All => Volatile.Read(ref s_rules);

    /// <summary>The canonical names, comma-separated ("sgd, minibatch, svd, ..."), for help and error texts.</summary>
    public static string Names => string.Join(", ", All.Select(r => r.Name));

    /// <summary>Adds a rule. Its id, name and aliases must be new (names compare case-insensitively) and lower-case
    /// names must be non-empty, without ',' or whitespace, and not end in "-digits" (labels append the rank so).</summary>
    /// <exception cref="ArgumentException">A clash with a registered rule or a malformed name.</exception>
    public static void Register(UpdateRuleInfo rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(rule.Create, nameof(rule) + ".Create");
        foreach (string spelling in rule.Spellings) CheckSpelling(spelling);
        lock (s_gate)
        {
            var rules = s_rules;
            foreach (var r in rules)
            {
                if (r.Id == rule.Id) throw new ArgumentException($"update method id {(int)rule.Id} is already registered as '{r.Name}'.", nameof(rule));
                if (rule.AbiId is { } abi && r.AbiId == abi) throw new ArgumentException($"C ABI id {abi} is already registered as '{r.Name}'.", nameof(rule));
                foreach (string spelling in rule.Spellings)
                    if (r.Spellings.Contains(spelling, StringComparer.OrdinalIgnoreCase))
                        throw new ArgumentException($"method name '{spelling}' is already registered for '{r.Name}'.", nameof(rule));
            }
            var next = rules.Append(rule).OrderBy(r => (int)r.Id).ToArray();
            Volatile.Write(ref s_rules, next);
        }
    }

    /// <summary>The rule with this id.</summary>
    /// <exception cref="ArgumentException">No rule has this id.</exception>
    public static UpdateRuleInfo Get(UpdateMethod method) => TryGet(method, out var rule) ? rule
        : throw new ArgumentException($"Unknown update method {(int)method}; registered: {Names}.", nameof(method));

    /// <summary>Finds the rule with this id.</summary>
    public static bool TryGet(UpdateMethod method, out UpdateRuleInfo rule)
    {
        foreach (var r in All) if (r.Id == method) { rule = r; return true; }
        rule = null!;
        return false;
    }

    /// <summary>Finds a rule by its name or an alias (case-insensitive, surrounding white space ignored).</summary>
    public static bool TryFind(string? name, out UpdateRuleInfo rule)
    {
        string key = name?.Trim() ?? "";
        foreach (var r in All)
            if (r.Spellings.Contains(key, StringComparer.OrdinalIgnoreCase)) { rule = r; return true; }
        rule = null!;
        return false;
    }

    /// <summary>Finds the rule with this C ABI id (sbe_method).</summary>
    public static bool TryGetByAbiId(uint abiId, out UpdateRuleInfo rule)
    {
        foreach (var r in All) if (r.AbiId == abiId) { rule = r; return true; }
        rule = null!;
        return false;
    }

    /// <summary>The label of a rule at rank k ("sgd", "svd-2", "sbe-1"; <see cref="UpdateRuleInfo.Label"/>).</summary>
    /// <exception cref="ArgumentException">No rule has this id.</exception>
    public static string Label(UpdateMethod method, int rank) => Get(method).Label(rank);

    /// <summary>Reads a label (the inverse of <see cref="Label"/>): a rank-less rule's exact name, or a ranked rule's
    /// name followed by "-k" with k >= 1. Names here are canonical and lower case, as labels write them.</summary>
    public static bool TryParseLabel(string? label, out UpdateMethod method, out int rank)
    {
        method = default; rank = 1;
        if (label is null) return false;
        foreach (var r in All)
        {
            if (!r.HasRank)
            {
                if (label == r.Name) { method = r.Id; return true; }
                continue;
            }
            if (label.Length > r.Name.Length + 1 && label.StartsWith(r.Name, StringComparison.Ordinal) && label[r.Name.Length] == '-'
                && int.TryParse(label.AsSpan(r.Name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1)
            {
                method = r.Id; rank = k; return true;
            }
        }
        return false;
    }

    private static void CheckSpelling(string spelling)
    {
        if (string.IsNullOrEmpty(spelling) || spelling.Any(c => c == ',' || char.IsWhiteSpace(c) || char.IsUpper(c)))
            throw new ArgumentException($"method name '{spelling}' must be non-empty lower case without ',' or white space.", "rule");
        int dash = spelling.LastIndexOf('-');
        if (dash >= 0 && dash + 1 < spelling.Length && spelling.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0)
            throw new ArgumentException($"method name '{spelling}' must not end in '-digits' (labels append '-k').", "rule");
    }
}
