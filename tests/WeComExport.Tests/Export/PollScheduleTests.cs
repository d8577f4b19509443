using System;
using System.Collections.Generic;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>How long a wait for a job sleeps between two checks of get_result.</summary>
    public sealed class PollScheduleTests
    {
        private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

        [Theory]
        [InlineData(0, 1)]      // the first re-check: one interval
        [InlineData(3, 1)]      // a quarter of 3 s is less than the interval
        [InlineData(8, 2)]      // a quarter of the time waited
        [InlineData(36, 9)]
        [InlineData(40, 10)]    // ten intervals at most
        [InlineData(3600, 10)]
        public void The_wait_is_a_quarter_of_the_time_waited_between_one_and_ten_intervals(double elapsedSeconds, double expectedSeconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ExportOperations.NextPollWait(TimeSpan.FromSeconds(elapsedSeconds), Second));
        }

        [Fact]
        public void A_job_done_at_any_moment_is_found_at_most_a_quarter_of_its_time_plus_one_interval_late()
        {
            List<double> checks = Checks(Second, TimeSpan.FromMinutes(30));
            for (double doneAt = 0.05; doneAt < 1800; doneAt *= 1.07)
            {
                double foundAt = checks.Find(at => at >= doneAt);
                double late = foundAt - doneAt;
                Assert.True(late <= doneAt / 4 + 1, $"done at {doneAt:0.00} s, found at {foundAt:0.00} s");
            }
        }

        [Fact]
        public void A_long_job_is_checked_about_once_every_ten_intervals_and_a_huge_interval_does_not_overflow()
        {
            List<double> checks = Checks(Second, TimeSpan.FromHours(1));
            Assert.InRange(checks.Count, 360, 400); // 3,600 s at 10 s, plus the checks while the waits grow
            Assert.Equal(TimeSpan.MaxValue, ExportOperations.NextPollWait(TimeSpan.MaxValue, TimeSpan.MaxValue));
        }

        // The moments (seconds from the start) a wait of the given length checks the job, as WaitAsync sleeps them.
        private static List<double> Checks(TimeSpan interval, TimeSpan length)
        {
            var checks = new List<double>();
            TimeSpan at = TimeSpan.Zero;
            while (at <= length)
            {
                checks.Add(at.TotalSeconds);
                at += ExportOperations.NextPollWait(at, interval);
            }

            checks.Add(at.TotalSeconds);
            return checks;
        }
    }
}
