using PyCog.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary><c>pycog tasks</c>: every registered task with its sizes, conditions and criterion.</summary>
sealed class TasksCommand : Command
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CancellationToken cancellation)
    {
        var table = new Table().AddColumns("task", "Nin/N/Nout", "conditions", "condition keys", "criterion", "description");
        foreach (var name in TaskRegistry.Names)
        {
            var t = TaskRegistry.Create(name);
            var c = t.Network;
            table.AddRow(Markup.Escape(name), $"{c.Nin}/{c.N}/{c.Nout}", t.Conditions.ToString(), Markup.Escape(string.Join(", ", t.FixedKeys)),
                Markup.Escape(t.Criterion), Markup.Escape(t.Description));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
