namespace SbeCore.Updates;

/// <summary>
/// A rule whose evolving state (counters, warm-start factors, random stream) can be written and read back, so a
/// network checkpoint continues bit-identically. ReadState runs on a rule built with the same shape and options; it
/// reads everything before it changes anything and throws <see cref="InvalidDataException"/> on bad data.
/// </summary>
internal interface IRuleState
{
    void WriteState(BinaryWriter w);
    void ReadState(BinaryReader r);
}
